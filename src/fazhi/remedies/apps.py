from django.apps import AppConfig


class RemediesConfig(AppConfig):
    """行政复议 and 行政应诉 (工作方案 五(一)6–7): two case registers on the statutory clocks, one package each
    (reconsideration/, litigation/) with the same skeleton as every module."""

    name = "fazhi.remedies"
    label = "remedies"
    verbose_name = "复议应诉"

    def ready(self):
        from fazhi.remedies.litigation import worklist as litigation_worklist
        from fazhi.remedies.reconsideration import worklist as reconsideration_worklist

        reconsideration_worklist.register()
        litigation_worklist.register()
