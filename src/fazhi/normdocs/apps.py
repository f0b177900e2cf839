from django.apps import AppConfig


class NormdocsConfig(AppConfig):
    name = "fazhi.normdocs"
    label = "normdocs"
    verbose_name = "规范性文件"

    def ready(self):
        from fazhi.deadlines.worklist import register_record, register_source
        from fazhi.normdocs.worklist import SOURCES

        for source in SOURCES:  # the one work list (deadlines/worklist.py)
            register_source(source)
        # Stored clocks (法制审查, 报备, 纠正) link to the record's page.
        register_record("normdocs.NormativeDocument", "规范性文件", "normdoc-detail", title_field="title")
        register_record("normdocs.Filing", "规范性文件备案", "filing-detail")
