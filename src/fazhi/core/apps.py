from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "fazhi.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from fazhi.core.append_only import on_post_migrate

        # Once per migrate, after every app's tables exist (test databases included).
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="fazhi.core.append_only")
