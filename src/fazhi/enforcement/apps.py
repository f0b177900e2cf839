from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    """行政执法 (工作方案 五(一)3–5): lawful subjects and certified officers, penalty and licence cases on the
    shared procedures and clocks, the publication of decisions, the whole-process record, and fault
    accountability — one package each, with the same skeleton as every module."""

    name = "fazhi.enforcement"
    label = "enforcement"
    verbose_name = "行政执法"

    def ready(self):
        from fazhi.enforcement.licence import worklist as licence_worklist
        from fazhi.enforcement.penalty import worklist as penalty_worklist
        from fazhi.enforcement.publication import worklist as publication_worklist

        penalty_worklist.register()
        licence_worklist.register()
        publication_worklist.register()
