"""The overview's panels of the foundation (core.overview): the audit log for
managers and auditors, and administration. The domain apps register their own."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organisations.models import Role
from organisations.selectors import staff_with_incomplete_identity

from .overview import Figure, Panel, register_panel


def _audit_panel(ctx) -> Panel:
    # No figure: the log grows with every page read, so a count would not equal
    # the list it links to a moment later.
    return Panel(
        key="audit",
        heading=_("Audit log"),
        body="core/partials/_audit_panel.html",
        links=[(_("Open the audit log"), reverse("audit:entry_list"))],
    )


def _administration_panel(ctx) -> Panel:
    figures = []
    links = []
    if ctx.user.is_staff:
        users = reverse("admin:organisations_user_changelist")
        figures.append(
            Figure(
                key="administration.incomplete_identity",
                label=_(
                    "active staff with a case role but no full name, title, "
                    "phone or e-mail"
                ),
                count=staff_with_incomplete_identity().count(),
                url=f"{users}?identity=incomplete",
                urgent=True,
            )
        )
        links.append((_("Open administration"), reverse("admin:index")))
    return Panel(
        key="administration",
        heading=_("Administration"),
        figures=figures,
        body="core/partials/_administration_panel.html",
        links=links,
    )


register_panel(
    "audit", roles={Role.MANAGER, Role.AUDITOR}, order=90, build=_audit_panel
)
register_panel(
    "administration",
    roles={Role.ADMINISTRATOR},
    order=95,
    build=_administration_panel,
)
