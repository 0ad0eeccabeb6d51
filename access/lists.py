"""Pages of everything a user may see, read without reading all of it.

`Paginator(visible(user, Person))` costs what the user may see, not what the page
shows: its `COUNT(*)` and the sort before `LIMIT` both touch every visible row. For a
police liaison who sees a district's 12,000 young people that was the page's whole
cost, and it grew with the district (docs/performance.md, "The unfiltered police
list"). PostgreSQL cannot choose better by itself: it does not know what
share of a table a user's grants cover (it estimates the grant filter at 200 rows,
or at three quarters of the table, whoever asks).

A paginator counts before it reads a page, so the count can tell it:

* the count comes from the grant tables alone (`granted_count`, index-only);
* a page near either end is read by walking the list's ordering index from that end
  and checking each row against a hash of the grants (`visible(per_row=True)`):
  the walk stops after the page, so it reads about as many rows as the page needs
  divided by the user's share of the table;
* a page that walk would reach only after more rows than the user may see at all
  (a deep page, or a user who sees a handful among thousands) starts from the grants
  (`visible()`), as every list did before.

Only for a list with no condition of its own, so that every granted object is one
of its rows and the two counts agree (tests/access/test_visible_list.py). The rows,
their order and their audit entry are those of `visible()` in every case.
"""

from __future__ import annotations

from functools import cached_property

from django.db import connection, models

from audit.models import Action

from .permissions import VIEW, granted_count, visible


def walks_the_index(*, before: int, length: int, shown: int, rows: int) -> bool:
    """Should a page be read by walking the ordering index from its nearer end?

    `before` rows of the list lie between that end and the page, `length` are on
    it, `shown` is the list's count and `rows` the table's. The walk reads about
    (before + length) × rows / shown rows; starting from the grants reads all
    `shown` and sorts them. Walk when the walk reads fewer."""
    return shown > 0 and (before + length) * rows <= shown * shown


def table_rows(model: type[models.Model]) -> int:
    """About how many rows `model`'s table holds: PostgreSQL's own estimate, which
    ANALYZE and autovacuum keep current and which costs nothing to read, or a count
    where there is none yet (a table never analysed, another database)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)",
                [connection.ops.quote_name(model._meta.db_table)],
            )
            found = cursor.fetchone()
        if found and found[0] > 0:
            return int(found[0])
    return model._default_manager.count()


class VisibleList:
    """Every object of `queryset`'s model that `user` may `action`, in the model's
    order, as a Paginator's object list: `count()` and slices."""

    ordered = True

    def __init__(
        self,
        user,
        queryset: models.QuerySet,
        *,
        action: str = VIEW,
        audit: str | None = Action.LIST,
    ) -> None:
        if queryset.query.where:
            raise ValueError("A VisibleList is every visible row: filter visible().")
        if not queryset.ordered:
            raise ValueError("A VisibleList needs an ordering to page by.")
        self.user = user
        self.queryset = queryset
        self.action = action
        self.audit = audit

    @cached_property
    def _count(self) -> int:
        return granted_count(self.user, self.queryset.model, self.action)

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key: slice) -> list:
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("A VisibleList is read a page (a slice) at a time.")
        shown = self.count()
        bottom, top, _step = key.indices(shown)
        if bottom >= top:
            return []
        backwards = shown - top < bottom
        walk = walks_the_index(
            before=shown - top if backwards else bottom,
            length=top - bottom,
            shown=shown,
            rows=table_rows(self.queryset.model),
        )
        rows = visible(
            self.user,
            self.queryset,
            action=self.action,
            audit=self.audit,
            per_row=walk,
        )
        if walk and backwards:
            return list(rows.reverse()[shown - top : shown - bottom])[::-1]
        return list(rows[bottom:top])
