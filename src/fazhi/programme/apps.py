from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "fazhi.programme"
    label = "programme"
    verbose_name = "创建工作责任分解"
