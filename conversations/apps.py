from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = _("Concern conversations")

    def ready(self) -> None:
        # Registers the timeline kinds, reminder kinds and the family page's
        # "cases" column for conversations.
        from . import registrations  # noqa: F401
