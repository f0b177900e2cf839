from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "fazhi.programme"
    label = "programme"
    verbose_name = "创建工作责任分解"

    def ready(self):
        from fazhi.deadlines.worklist import register_source
        from fazhi.programme.worklist import SOURCES

        for source in SOURCES:  # the one work list (deadlines/worklist.py)
            register_source(source)
