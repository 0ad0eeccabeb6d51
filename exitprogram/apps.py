from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExitprogramConfig(AppConfig):
    name = "exitprogram"
    verbose_name = _("Exit programme")

    def ready(self) -> None:
        from . import registrations  # noqa: F401  (registries)
