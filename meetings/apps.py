from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("§115 / SSP meetings")

    def ready(self) -> None:
        from . import registrations, sibling_facts  # noqa: F401  (registries)
