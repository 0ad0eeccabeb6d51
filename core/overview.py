"""The overview ("Overblik"): panels registered by the apps, per role.

Each app registers the panels it owns (in its registrations module), as it does
its timeline, reminder and inbox kinds, so the overview imports no domain app
(issue 24, point 2). A panel's figures are counts, each with the link to the list
that shows exactly those rows: the count and the list come from the same selector,
and a test follows every link and counts the rows (tests/core/test_overview.py).
A figure is never a bare number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise

from organisations.selectors import acting_membership, membership_list


@dataclass(frozen=True)
class Figure:
    """A count and the list of exactly those rows. `key` names it for tests and
    for the page's `data-figure` attribute; `urgent` marks overdue work."""

    key: str
    label: str | Promise
    count: int
    url: str
    urgent: bool = False


@dataclass
class Panel:
    key: str
    heading: str | Promise
    figures: list[Figure] = field(default_factory=list)
    # A template drawn under the figures (e.g. the next meetings), with `context`.
    body: str = ""
    context: dict = field(default_factory=dict)
    links: list[tuple[str | Promise, str]] = field(default_factory=list)
    # Shown when there is no figure and no body: what the panel would show.
    empty: str | Promise = ""


@dataclass
class OverviewContext:
    request: object
    user: object
    agency: object | None
    roles: frozenset

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


@dataclass(frozen=True)
class PanelSource:
    key: str
    roles: frozenset
    order: int
    build: Callable[[OverviewContext], Panel | None]


_PANELS: dict[str, PanelSource] = {}


def register_panel(
    key: str,
    *,
    roles,
    order: int,
    build: Callable[[OverviewContext], Panel | None],
) -> PanelSource:
    """Register a panel for users holding one of `roles`: `build(ctx)` returns the
    panel, or None when it has nothing to say to this user."""
    known = _PANELS.get(key)
    if known and (known.build.__module__, known.build.__qualname__) != (
        build.__module__,
        build.__qualname__,
    ):
        raise ValueError(f"Overview panel {key!r} is registered twice")
    source = PanelSource(key=key, roles=frozenset(roles), order=order, build=build)
    _PANELS[key] = source
    return source


def registered_panels() -> list[PanelSource]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


def overview_context(request) -> OverviewContext:
    user = request.user
    membership = acting_membership(user=user, session=request.session)
    return OverviewContext(
        request=request,
        user=user,
        agency=membership.agency if membership else None,
        roles=frozenset(m.role for m in membership_list(user=user)),
    )


def panels_for(request) -> list[Panel]:
    """The panels of the user's roles, in their registered order."""
    ctx = overview_context(request)
    panels = []
    for source in registered_panels():
        if not source.roles & ctx.roles:
            continue
        panel = source.build(ctx)
        if panel is not None:
            panels.append(panel)
    return panels
