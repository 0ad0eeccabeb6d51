from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Young people and their cases")

    def ready(self) -> None:
        from . import registrations, timeline_kinds  # noqa: F401  (registries)
