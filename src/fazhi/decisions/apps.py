from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "fazhi.decisions"
    label = "decisions"
    verbose_name = "重大行政决策"

    def ready(self):
        from fazhi.deadlines.worklist import register_record

        # Clocks kept on a decision (the procedure's) link to its page from the one work list.
        register_record("decisions.decision", "重大行政决策", "decision-detail", title_field="title")
