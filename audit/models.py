"""The audit log: append-only, one entry per access to or change of a person's data.

Rules: R-LOG-1 (what is recorded), R-LOG-2 (immutable, retention with automatic
purge), R-LOG-3 (who has looked at me). Immutability is enforced twice: here for the
ORM and the admin, and by a PostgreSQL trigger (migration 0002) for everything else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete an audit entry."""


class Action(models.TextChoices):
    VIEW = "view", pgettext_lazy("audit action", "View")
    LIST = "list", pgettext_lazy("audit action", "List")
    SEARCH = "search", pgettext_lazy("audit action", "Search")
    CREATE = "create", pgettext_lazy("audit action", "Create")
    CHANGE = "change", pgettext_lazy("audit action", "Change")
    DELETE = "delete", pgettext_lazy("audit action", "Delete")
    EXPORT = "export", pgettext_lazy("audit action", "Export")
    REVEAL = "reveal", pgettext_lazy("audit action", "Reveal CPR number")
    GRANT = "grant", pgettext_lazy("audit action", "Grant access")
    REVOKE = "revoke", pgettext_lazy("audit action", "Revoke access")
    LOGIN = "login", pgettext_lazy("audit action", "Login")
    LOGIN_FAILED = "login_failed", pgettext_lazy("audit action", "Failed login")
    LOGOUT = "logout", pgettext_lazy("audit action", "Logout")
    PERMISSION_DENIED = (
        "permission_denied",
        pgettext_lazy("audit action", "Permission denied"),
    )


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only.")

    _raw_delete = delete


class AuditEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # PROTECT: staff accounts with history are deactivated, never deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # The attempted username of a failed login; staff identity, never a citizen's.
    username = models.CharField(_("username"), max_length=150, blank=True)
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    criterion = models.CharField(_("search criterion"), max_length=255, blank=True)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    purpose = models.CharField(_("purpose"), max_length=255, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["agency", "-at"], name="audit_agency_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")


class AuditSubject(models.Model):
    """A person whose data an entry concerns. No foreign key: the log outlives the
    person record it mentions (deletion is logged as metadata, R-DOC-3)."""

    id = models.BigAutoField(primary_key=True)
    entry = models.ForeignKey(
        AuditEntry, on_delete=models.PROTECT, related_name="subjects"
    )
    person_id = models.UUIDField(_("person"))

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["person_id", "entry"], name="audit_subject")]

    def __str__(self) -> str:
        return str(self.person_id)

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")
