from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "inbox"
    verbose_name = _("My tasks")

    def ready(self) -> None:
        from . import registrations  # noqa: F401  (the overview's panel)
