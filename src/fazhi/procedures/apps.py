from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ProceduresConfig(AppConfig):
    name = "fazhi.procedures"
    label = "procedures"
    verbose_name = "程序"

    def ready(self):
        from fazhi.procedures.services import on_post_migrate

        # The shipped definitions (data/*.json) exist after every migrate and flush, test databases included.
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="fazhi.procedures.builtin")
