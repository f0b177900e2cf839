from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "fazhi.portal"
    label = "portal"
    verbose_name = "公众门户与公众来件"

    def ready(self):
        from fazhi.deadlines import worklist

        # The clocks of a submission (accept, handle) appear on the one work list, linked to its staff page.
        worklist.register_record("portal.submission", "公众来件", "submission-detail", title_field="title")
