from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "fazhi.deadlines"
    label = "deadlines"
    verbose_name = "法定期限"

    def ready(self):
        from fazhi.deadlines import worklist

        worklist.register_source(worklist.DEADLINE_SOURCE)  # stored clocks of every module
