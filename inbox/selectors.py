"""Reading the inbox: every kind's open items for one user, in one statement.

Each registered kind (inbox.registry) turns its app's selector into rows of the
same columns (`InboxContext.columns`); this module unites them with `UNION ALL`,
orders them (overdue first, then by due date) and pages them in SQL. A page of the
inbox is therefore two statements whatever the number of kinds or items: the
counts per kind and the page's rows. The overview and the header ask for the
counts only.

What "mine" and "my agency's" mean is decided here, once, for every kind: an item
is the user's when its `user` column names the user, and the agency's when its
`agency` column names the agency the user acts for. A kind with neither is the
acting agency's by role (a plan awaiting a manager's approval).

Nothing here decides visibility: the kinds' selectors ask the permission core, so
the inbox shows nothing their own lists would not. Reading the rows writes one
audit entry naming every person shown (the kinds' selectors are asked without
auditing, because the union yields columns, not records).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property

from audit.models import Action
from audit.services import audit_record_read
from core.links import link_to
from organisations.selectors import acting_membership, membership_list

from .models import Seen, Snooze
from .registry import InboxKind, kind_of, registered_kinds

ALL, MINE, AGENCY = "all", "mine", "agency"
SCOPES = (ALL, MINE, AGENCY)
PAGE_SIZE = 50

# The columns every kind yields, in this order (UNION ALL matches by position).
COLUMNS = (
    "ib_kind",
    "ib_id",
    "ib_link",
    "ib_person",
    "ib_given",
    "ib_family",
    "ib_text",
    "ib_due",
    "ib_sort",
    "ib_overdue",
    "ib_since",
    "ib_user",
    "ib_agency",
)
# Sorts after every real due date: items without one come last.
NO_DUE_DATE = datetime.date(9999, 12, 31)


def _null(output_field: models.Field) -> Value:
    return Value(None, output_field=output_field)


def _column(path, output_field: models.Field):
    if path is None:
        return _null(output_field)
    if isinstance(path, str):
        return F(path)
    return path


@dataclass
class InboxContext:
    """Whose inbox is asked, and how: passed to every kind's `rows`."""

    user: object
    agency: object | None
    roles: frozenset
    today: datetime.date
    scope: str = ALL
    snoozed: bool = False
    seen_at: datetime.datetime | None = None
    # Only the items past their due date (the overview's "overdue" figure).
    overdue: bool = False

    def has_role(self, *roles: str) -> bool:
        """Does the user hold one of `roles` in the agency it acts for?"""
        return bool(self.roles & set(roles))

    def columns(
        self,
        queryset: models.QuerySet,
        *,
        kind: str,
        since,
        due=None,
        person: str | None = "person",
        text=None,
        link: str = "pk",
        user: str | None = None,
        agency: str | None = None,
    ) -> models.QuerySet:
        """`queryset`'s rows as inbox items of `kind`, kept to the user's and the
        acting agency's (`user`, `agency`: the fields that assign the work), less
        what the user snoozed.

        `since` (when the work reached its assignee), `due`, `text` and `link` are
        field paths or expressions; `person` is the path of the person the work
        concerns (None: it concerns no one person). The queryset must come from
        the app's selector with audit=None: the inbox audits what it shows."""
        if getattr(queryset, "_read_audit", None) is not None:
            raise TypeError(
                f"Inbox kind {kind!r}: ask the selector with audit=None; the inbox "
                "audits the rows it shows."
            )
        due_column = _column(due, models.DateField())
        person_prefix = f"{person}__" if person else None
        snoozes = Snooze.objects.filter(
            user=self.user, kind=kind, object_id=OuterRef("pk"), until__gt=self.today
        )
        return (
            queryset.filter(self._assigned(user, agency))
            .order_by()
            .annotate(
                ib_kind=Value(kind, output_field=models.CharField()),
                ib_id=F("pk"),
                ib_link=F(link),
                ib_person=_column(person, models.UUIDField()),
                ib_given=_column(
                    person_prefix and f"{person_prefix}given_name", models.CharField()
                ),
                ib_family=_column(
                    person_prefix and f"{person_prefix}family_name", models.CharField()
                ),
                ib_text=_column(text, models.TextField()),
                ib_due=due_column,
                ib_sort=Coalesce(
                    due_column, Value(NO_DUE_DATE, output_field=models.DateField())
                ),
                ib_overdue=Case(
                    When(Q(ib_due__lt=self.today), then=Value(1)),
                    default=Value(0),
                    output_field=models.IntegerField(),
                ),
                ib_since=_column(since, models.DateTimeField()),
                ib_user=_column(user, models.UUIDField()),
                ib_agency=_column(agency, models.UUIDField()),
                ib_snoozed=Exists(snoozes),
            )
        )

    def _assigned(self, user: str | None, agency: str | None) -> Q:
        mine = Q(**{user: self.user.pk}) if user else None
        ours = (
            Q(**{agency: self.agency.pk})
            if agency and self.agency is not None
            else None
        )
        nothing = Q(pk__in=[])
        if user is None and agency is None:
            # Work of the acting agency by role: the kind's selector chose it.
            return Q() if self.scope in (ALL, AGENCY) else nothing
        if self.scope == MINE:
            return mine or nothing
        if self.scope == AGENCY:
            return ours or nothing
        either = [q for q in (mine, ours) if q is not None]
        if not either:
            return nothing
        return either[0] | either[1] if len(either) == 2 else either[0]


def inbox_context(
    *,
    user,
    session=None,
    scope: str = ALL,
    snoozed: bool = False,
    overdue: bool = False,
    today: datetime.date | None = None,
) -> InboxContext:
    membership = acting_membership(user=user, session=session)
    agency = membership.agency if membership else None
    roles = frozenset(
        m.role
        for m in membership_list(user=user)
        if agency and m.agency_id == agency.pk
    )
    seen = Seen.objects.filter(user=user).values_list("seen_at", flat=True).first()
    return InboxContext(
        user=user,
        agency=agency,
        roles=roles,
        today=today or timezone.localdate(),
        scope=scope if scope in SCOPES else ALL,
        snoozed=snoozed,
        seen_at=seen,
        overdue=overdue,
    )


def _branches(ctx: InboxContext, kinds: Iterable[InboxKind]) -> list[models.QuerySet]:
    if ctx.agency is None and not ctx.user.is_authenticated:
        return []
    branches = []
    for kind in kinds:
        rows = kind.rows(ctx)
        if rows is not None:
            branches.append(rows)
    return branches


def _union(branches: list[models.QuerySet]) -> models.QuerySet | None:
    if not branches:
        return None
    first, *rest = branches
    return first.union(*rest, all=True) if rest else first


@dataclass
class KindCount:
    kind: InboxKind
    total: int = 0
    overdue: int = 0
    new: int = 0
    snoozed: int = 0


@dataclass
class InboxCounts:
    """How many items each kind has in the inbox (only kinds with items): shown,
    overdue and new among them, and put aside."""

    by_kind: list[KindCount] = field(default_factory=list)

    @cached_property
    def total(self) -> int:
        return sum(c.total for c in self.by_kind)

    @cached_property
    def overdue(self) -> int:
        return sum(c.overdue for c in self.by_kind)

    @cached_property
    def new(self) -> int:
        return sum(c.new for c in self.by_kind)

    @cached_property
    def snoozed(self) -> int:
        return sum(c.snoozed for c in self.by_kind)

    def of(self, key: str) -> KindCount | None:
        return next((c for c in self.by_kind if c.kind.key == key), None)


def inbox_counts(ctx: InboxContext) -> InboxCounts:
    """Per kind: the items shown (the snoozed ones when `ctx.snoozed`), how many
    of them are overdue and new (since the inbox was last opened), and how many
    are put aside. One statement, no personal data (not audited)."""
    new_since = ctx.seen_at or datetime.datetime.min.replace(tzinfo=datetime.UTC)
    shown = Q(ib_snoozed=ctx.snoozed)
    if ctx.overdue:
        shown &= Q(ib_overdue=1)
    counted = [
        branch.values("ib_kind").annotate(
            n_total=Count("ib_id", filter=shown),
            n_overdue=Count("ib_id", filter=shown & Q(ib_overdue=1)),
            n_new=Count("ib_id", filter=shown & Q(ib_since__gt=new_since)),
            n_snoozed=Count("ib_id", filter=Q(ib_snoozed=True)),
        )
        # Value() columns are not grouped by: one row a kind.
        for branch in _branches(ctx, registered_kinds())
    ]
    union = _union(counted)
    if union is None:
        return InboxCounts()
    found = [
        KindCount(
            kind=kind_of(row["ib_kind"]),
            total=row["n_total"],
            overdue=row["n_overdue"],
            new=row["n_new"],
            snoozed=row["n_snoozed"],
        )
        for row in union
        if row["n_total"] or row["n_snoozed"]
    ]
    found.sort(key=lambda c: (c.kind.order, c.kind.key))
    return InboxCounts(by_kind=found)


@dataclass
class InboxItem:
    kind: InboxKind
    object_id: object
    url: str
    person_id: object | None
    person_name: str
    text: str
    due_on: datetime.date | None
    since: datetime.datetime | None
    overdue: bool
    new: bool
    mine: bool
    snoozed: bool = False


def inbox_items(
    ctx: InboxContext, *, kind: str = "", offset: int = 0, limit: int = PAGE_SIZE
) -> list[InboxItem]:
    """One page of the inbox, overdue first, then by due date (undated last),
    then by when the work arrived. `kind` narrows it to one registered kind. One
    statement; its persons are audited as a list read."""
    kinds = [kind_of(kind)] if kind else registered_kinds()
    shown = Q(ib_snoozed=ctx.snoozed)
    if ctx.overdue:
        shown &= Q(ib_overdue=1)
    union = _union(
        [branch.filter(shown).values(*COLUMNS) for branch in _branches(ctx, kinds)]
    )
    if union is None:
        return []
    rows = list(
        union.order_by("-ib_overdue", "ib_sort", "ib_since", "ib_id")[
            offset : offset + limit
        ]
    )
    persons = [row["ib_person"] for row in rows if row["ib_person"]]
    if persons:
        audit_record_read(
            user=ctx.user,
            action=Action.LIST,
            object_type="inbox.item",
            subjects=persons,
        )
    links: dict = {}
    items = []
    for row in rows:
        item_kind = kind_of(row["ib_kind"])
        if item_kind.key not in links:
            links[item_kind.key] = link_to(item_kind.link)
        since = row["ib_since"]
        items.append(
            InboxItem(
                kind=item_kind,
                object_id=row["ib_id"],
                url=links[item_kind.key](row["ib_link"]),
                person_id=row["ib_person"],
                person_name=" ".join(
                    part for part in (row["ib_given"], row["ib_family"]) if part
                ),
                text=row["ib_text"] or "",
                due_on=row["ib_due"],
                since=since,
                overdue=bool(row["ib_overdue"]),
                new=bool(since and (ctx.seen_at is None or since > ctx.seen_at)),
                mine=row["ib_user"] == ctx.user.pk,
                snoozed=ctx.snoozed,
            )
        )
    return items


def inbox_item(ctx: InboxContext, *, kind: str, object_id) -> bool:
    """Is this item in the user's inbox now (put aside or not)? Done and snooze
    act only on what the user's inbox holds: an id from elsewhere is not found."""
    probe = replace(ctx, scope=ALL, overdue=False)
    rows = kind_of(kind).rows(probe)
    return rows is not None and rows.filter(ib_id=object_id).exists()
