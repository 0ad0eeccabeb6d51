"""The permission core: the one place that decides who may see and do what.

Every view, endpoint, export and task asks here; no other module filters by agency,
municipality or role. Object permissions are django-guardian's, kept in direct
foreign-key tables per model and granted to agency groups (and, rarely, users) by
access.services. Three traps of guardian and DRF are closed here, each with a test:

* guardian's get_objects_for_user answers superusers and holders of model-level
  permissions with *every* object; `visible` reads the object-grant tables itself
  (`_grants`), so only object grants count, in one flat query that other queries
  can nest without growing.
* Administering is not reading: an administrator-only account is in no agency group
  and so sees no case data (organisations.services.membership_sync_groups).
* No caching between requests: a revoked grant takes effect on the next query.

Reads of person data come back as audited querysets (audit.queryset), so the same
call that decides what may be shown records what was shown.
"""

from __future__ import annotations

from functools import cache
from typing import TypeVar

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.http import Http404
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from audit.models import Action
from audit.services import audit_record_refusal, subject_of
from organisations.models import Role

M = TypeVar("M", bound=models.Model)

VIEW = "view"
CHANGE = "change"
EXPORT = "export"
# Knows that a record exists and how far it is, without its content: the SSP unit
# and a concern conversation (only models that declare the permission have it).
SUMMARY = "summary"
ACTIONS = (VIEW, CHANGE, EXPORT, SUMMARY)


def codename(model: type[models.Model], action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    return f"{action}_{model._meta.model_name}"


def _queryset(source: type[M] | models.QuerySet[M]) -> models.QuerySet[M]:
    if isinstance(source, models.QuerySet):
        return source
    return source._default_manager.all()


@cache
def _grants_sql(model: type[models.Model]) -> tuple[str, str]:
    """The two subqueries of `_grants` for `model` (the user's grants, the user's
    agency groups' grants), built once per model: the ORM took about 3 ms to
    compile the same SQL on every call, and a page makes up to fifteen of them
    (docs/performance.md). Only identifiers come from the models; every value is a
    parameter."""
    user_grants = get_user_obj_perms_model(model)
    group_grants = get_group_obj_perms_model(model)
    if user_grants.objects.is_generic() or group_grants.objects.is_generic():
        raise TypeError(f"{model.__name__} needs direct-FK permission tables")
    from django.contrib.auth import get_user_model

    memberships = get_user_model().groups.through._meta
    quote = connection.ops.quote_name

    def column(meta, name: str) -> str:
        return quote(meta.get_field(name).column)

    # Identifiers from the models only; every value is a parameter.
    permission = (
        f"(SELECT {quote('id')} FROM {quote(Permission._meta.db_table)}"  # noqa: S608
        f" WHERE {quote('codename')} = %s AND {quote('content_type_id')} = %s)"
    )
    users, groups = user_grants._meta, group_grants._meta
    return (
        f"SELECT {column(users, 'content_object')} FROM {quote(users.db_table)}"  # noqa: S608
        f" WHERE {column(users, 'user')} = %s"
        f" AND {column(users, 'permission')} = {permission}",
        f"SELECT {column(groups, 'content_object')} FROM {quote(groups.db_table)}"  # noqa: S608
        f" WHERE {column(groups, 'group')} IN"
        f" (SELECT {column(memberships, 'group')} FROM {quote(memberships.db_table)}"
        f" WHERE {column(memberships, 'user')} = %s)"
        f" AND {column(groups, 'permission')} = {permission}",
    )


def _grants_params(user, model: type[models.Model], action: str) -> list:
    """The values of each of `_grants_sql`'s two parts: user, codename, type."""
    return [
        user._meta.pk.get_db_prep_value(user.pk, connection),
        codename(model, action),
        ContentType.objects.get_for_model(model).pk,
    ]


def _grants(
    user,
    model: type[models.Model],
    action: str,
    field: str = "pk",
    *,
    per_row: bool = False,
) -> models.Q:
    """`pk IN (grants to the user UNION ALL grants to the user's agency groups)`,
    read from guardian's direct foreign-key tables for `model`. Only object grants
    count: superuser status and model-wide permissions never do (the trap of
    guardian's get_objects_for_user, whose defaults answer both with every row).

    One `IN` over a `UNION ALL`: PostgreSQL makes it a semi-join driven by the
    user's grants, read from guardian's unique index (group or user, permission,
    object) with the permission as a scalar subquery. That is the plan for rows
    found through the grants (a user's list, a person's records). With `per_row`
    the same grants are two `IN`s joined by `OR`, which PostgreSQL checks row by
    row against a hash of each: the plan for a query whose own conditions find few
    rows among many visible ones (a filtered list, a name search), and wrong for an
    unfiltered one (it scans the whole table; docs/performance.md).
    The grants are read on every call: nothing is cached but the SQL text.
    """
    users, groups = _grants_sql(model)
    params = _grants_params(user, model, action)
    if per_row:
        # noqa below: _grants_sql's SQL, values as parameters.
        return models.Q(**{f"{field}__in": RawSQL(users, params)}) | models.Q(  # noqa: S611
            **{f"{field}__in": RawSQL(groups, params)}  # noqa: S611
        )
    return models.Q(
        **{
            f"{field}__in": RawSQL(  # noqa: S611 - _grants_sql, values as parameters
                f"{users} UNION ALL {groups}", params + params
            )
        }
    )


def granted_count(user, model: type[models.Model], action: str = VIEW) -> int:
    """How many objects of `model` the user may `action`: the distinct objects
    granted to the user and the user's agency groups, counted in the grant tables
    alone (index-only) without reading `model`'s table. Equal to
    `visible(user, model).count()`, because a grant's row goes with its object
    (guardian's direct foreign keys cascade)."""
    if not (user and user.is_authenticated and user.is_active):
        return 0
    users, groups = _grants_sql(model)
    params = _grants_params(user, model, action)
    # Both parts select the object's column, which names the union's column.
    granted = connection.ops.quote_name(
        get_user_obj_perms_model(model)._meta.get_field("content_object").column
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(DISTINCT {granted})"  # noqa: S608 - identifiers, as above
            f" FROM ({users} UNION ALL {groups}) AS grants",
            params + params,
        )
        return cursor.fetchone()[0]


def visible_q(user, model: type[models.Model], *, field: str, action: str = VIEW):
    """The condition "`field` names an object of `model` the user may `action`", to
    combine inside one query (e.g. a relation whose other person the user may
    see). Reads the grant tables directly: no scan of `model`'s table."""
    if not (user and user.is_authenticated and user.is_active):
        return models.Q(pk__in=[])
    return _grants(user, model, action, field=field)


def visible(
    user,
    source: type[M] | models.QuerySet[M],
    *,
    action: str = VIEW,
    audit: str | None = Action.LIST,
    criterion: str = "",
    per_row: bool = False,
) -> models.QuerySet[M]:
    """The objects of this kind that `user` may act on, as one SQL query.

    The filter reads the grants to the user and to the user's agency groups from
    guardian's indexed direct-FK tables (`_grants`), so its cost follows the user's
    grants, not the number of objects it cannot see. `per_row`: the queryset's own
    conditions select few rows (a filter, a search), so check each against the
    grants rather than start from them; the rows are the same either way. When the
    rows are fetched, an audit entry of kind `audit` lists every person shown (None:
    the caller audits).
    """
    queryset = _queryset(source)
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    scoped = queryset.filter(_grants(user, queryset.model, action, per_row=per_row))
    if audit and hasattr(scoped, "audited"):
        scoped = scoped.audited(user=user, action=audit, criterion=criterion)
    return scoped


def _unrestricted_or_granted(user, queryset: models.QuerySet, field: str) -> models.Q:
    """A record whose `field` flag is set is seen only with a grant on itself
    (R-115-6: §115 stk. 5 information reaches only its named recipients)."""
    return models.Q(**{field: False}) | _grants(user, queryset.model, VIEW)


def visible_via(
    user,
    queryset: models.QuerySet[M],
    *,
    parent: str,
    parent_model: type[models.Model],
    audit: str | None = Action.LIST,
    restricted_field: str = "",
    own_action: str | None = None,
) -> models.QuerySet[M]:
    """Records that belong to an object (`parent`, e.g. "person") and are seen by
    whoever may see that object: a concern-level change is seen with its person.
    One query: the parent's grants become a subquery.

    With `restricted_field`, a record whose flag is set is seen only by holders of
    a grant on the record itself, on top of seeing the parent (R-115-6: §115 stk. 5
    information reaches only its named recipients).

    With `own_action`, every record needs a grant of that action on itself as well
    (a concern conversation is seen by its participants, and only with its person).
    """
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    # The grant tables are asked directly (no nested `visible()`), so the planner
    # sees two semi-joins instead of a subquery over the parent table.
    scoped = queryset.filter(_grants(user, parent_model, VIEW, field=parent))
    if restricted_field:
        scoped = scoped.filter(
            _unrestricted_or_granted(user, queryset, restricted_field)
        )
    if own_action:
        scoped = scoped.filter(_grants(user, queryset.model, own_action))
    if audit and hasattr(scoped, "audited"):
        scoped = scoped.audited(user=user, action=audit)
    return scoped


def can(user, obj: models.Model, action: str = VIEW) -> bool:
    """May `user` perform `action` on `obj`? Asks the database every time."""
    return visible(
        user, type(obj)._default_manager.filter(pk=obj.pk), action=action, audit=None
    ).exists()


def can_expression(user, model: type[models.Model], action: str = VIEW):
    """`can(user, obj, action)` for each row of a query on `model`, as an
    expression to annotate it with (`may_change=can_expression(user, Person,
    CHANGE)`): the grants are probed for that row, in the same statement, as
    `pk IN (the grants)` (an `EXISTS` over the model's own table again took
    PostgreSQL a fifth longer to plan; docs/performance.md)."""
    if not (user and user.is_authenticated and user.is_active):
        return models.Value(False, output_field=models.BooleanField())
    return models.ExpressionWrapper(
        _grants(user, model, action), output_field=models.BooleanField()
    )


def get_visible_or_404(
    user, source: type[M] | models.QuerySet[M], *, pk, action: str = VIEW
) -> M:
    """Fetch one object for `action`, audited as a view.

    404 when the user may not see it, whether or not it exists (no enumeration);
    403 (PermissionDenied, audited) when it may see it but not perform `action`.
    """
    queryset = _queryset(source)
    try:
        obj = visible(
            user, queryset.filter(pk=pk), action=VIEW, audit=Action.VIEW
        ).get()
    except (queryset.model.DoesNotExist, ValueError, models.ObjectDoesNotExist) as exc:
        raise Http404 from exc
    if action != VIEW and not can(user, obj, action):
        audit_record_refusal(
            user=user,
            obj=obj,
            subjects=[subject_of(obj)],
            criterion=action,
        )
        raise PermissionDenied
    # The proof that `visible_under` asks for: this user was allowed to see
    # this instance just now.
    setattr(obj, _SEEN_BY, user.pk)
    return obj


_SEEN_BY = "_access_seen_by"


def visible_under(
    user,
    queryset: models.QuerySet[M],
    *,
    parent: str,
    obj: models.Model,
    audit: str | None = Action.LIST,
    restricted_field: str = "",
) -> models.QuerySet[M]:
    """The records of one object `obj` (e.g. a person's concern-level changes),
    seen by whoever may see `obj`: `visible_via` for a single parent.

    When `obj` came from `get_visible_or_404` for this same user (in this
    request: instances are not kept between requests), its grants were checked
    a moment ago, so the records are read by `obj`'s key without asking them
    again; otherwise this is `visible_via`. `restricted_field` as in
    `visible_via`: a record whose flag is set still needs a grant on itself."""
    if getattr(obj, _SEEN_BY, None) != user.pk:
        return visible_via(
            user,
            queryset.filter(**{parent: obj}),
            parent=parent,
            parent_model=type(obj),
            audit=audit,
            restricted_field=restricted_field,
        )
    scoped = queryset.filter(**{parent: obj})
    if restricted_field:
        scoped = scoped.filter(
            _unrestricted_or_granted(user, queryset, restricted_field)
        )
    if audit and hasattr(scoped, "audited"):
        scoped = scoped.audited(user=user, action=audit)
    return scoped


# --- Roles -------------------------------------------------------------------------
# What a role may do beyond object grants: administer, read the audit log, create
# records. Case data itself is only ever reached through object grants above.


def _roles(user) -> set[str]:
    from organisations.selectors import roles_of

    return roles_of(user=user)


def is_administrator(user) -> bool:
    return bool(user.is_authenticated and user.is_active) and (
        user.is_superuser or Role.ADMINISTRATOR in _roles(user)
    )


def can_read_audit_log(user) -> bool:
    return bool(user.is_authenticated and user.is_active) and bool(
        _roles(user) & {Role.MANAGER, Role.AUDITOR}
    )


def can_record_cases(user, agency=None) -> bool:
    """May the user create case records (in `agency`, if given)?"""
    from organisations.selectors import membership_list

    if not (user.is_authenticated and user.is_active):
        return False
    return any(
        m.role in Role.case_roles() and (agency is None or m.agency_id == agency.pk)
        for m in membership_list(user=user)
    )


def can_record_conversations(user, agency=None) -> bool:
    """May the user request and hold concern conversations (in `agency`, if given)?
    A police liaison officer of a police agency: they are police-led."""
    from organisations.models import AgencyKind
    from organisations.selectors import membership_list

    if not (user.is_authenticated and user.is_active):
        return False
    return any(
        m.role == Role.POLICE_LIAISON
        and m.agency.kind == AgencyKind.POLICE
        and (agency is None or m.agency_id == agency.pk)
        for m in membership_list(user=user)
    )


def can_run_forums(user, agency=None) -> bool:
    """May the user set up and run §115/SSP forums (for `agency`, if given)? An SSP
    coordinator of an SSP unit: the SSP team always chairs (LAW.md C2)."""
    from organisations.models import AgencyKind
    from organisations.selectors import membership_list

    if not (user and user.is_authenticated and user.is_active):
        return False
    return any(
        m.role == Role.SSP_COORDINATOR
        and m.agency.kind == AgencyKind.SSP_UNIT
        and (agency is None or m.agency_id == agency.pk)
        for m in membership_list(user=user)
    )


def can_coordinate_exit(user, agency=None) -> bool:
    """May the user refer and run exit cases (for `agency`, if given)? An exit
    coordinator of an exit unit."""
    from organisations.models import AgencyKind
    from organisations.selectors import membership_list

    if not (user and user.is_authenticated and user.is_active):
        return False
    return any(
        m.role == Role.EXIT_COORDINATOR
        and m.agency.kind == AgencyKind.EXIT_UNIT
        and (agency is None or m.agency_id == agency.pk)
        for m in membership_list(user=user)
    )


def can_share_gang_information(user, agency) -> bool:
    """R-115-6: only police create §115 stk. 5 information: a police liaison
    officer acting for a police agency."""
    from organisations.models import AgencyKind

    return (
        agency is not None
        and agency.kind == AgencyKind.POLICE
        and (can_record_conversations(user, agency))
    )


def agency_leads(user) -> list:
    """The agencies whose action items the user follows as lead (a manager)."""
    from organisations.selectors import membership_list

    if not (user and user.is_authenticated and user.is_active):
        return []
    return [m.agency for m in membership_list(user=user) if m.role == Role.MANAGER]


def audit_entries_visible(user):
    """The audit entries a manager or auditor may read: those made from agencies of
    its own municipalities (for a district agency: the district's agencies)."""
    from audit.models import AuditEntry
    from organisations.models import Membership

    if not can_read_audit_log(user):
        return AuditEntry.objects.none()
    readers = Membership.objects.filter(
        user=user, role__in=[Role.MANAGER, Role.AUDITOR]
    )
    municipalities = readers.filter(agency__municipality__isnull=False).values(
        "agency__municipality"
    )
    districts = readers.filter(agency__police_district__isnull=False).values(
        "agency__police_district"
    )
    return AuditEntry.objects.filter(
        models.Q(agency__municipality__in=municipalities)
        | models.Q(agency__police_district__in=districts)
        | models.Q(agency__municipality__police_district__in=districts)
    )


def person_for_access_report(user, pk):
    """The person whose access report `user` may read, or 404.

    A manager who may see the person, or an auditor of the person's municipality:
    the auditor answers data subjects' access requests (R-LOG-3) without otherwise
    reading their case data. Fetching the person is audited as a view.
    """
    from cases.models import Person
    from organisations.models import Membership, Municipality

    if not can_read_audit_log(user):
        raise Http404
    auditing = Membership.objects.filter(user=user, role=Role.AUDITOR)
    audited_municipalities = Municipality.objects.filter(
        models.Q(pk__in=auditing.values("agency__municipality"))
        | models.Q(police_district__in=auditing.values("agency__police_district"))
    )
    granted = visible(user, Person.objects.filter(pk=pk), audit=None).values("pk")
    people = Person.objects.filter(
        models.Q(pk__in=granted) | models.Q(municipality__in=audited_municipalities),
        pk=pk,
    )
    try:
        return people.audited(user=user, action=Action.VIEW).get()
    except (Person.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def acting_agency(request):
    """The agency a request acts for (the session's chosen membership, else the
    first); PermissionDenied (403, on pages and in the API) when the user acts for
    none."""
    from organisations.selectors import acting_membership

    membership = acting_membership(user=request.user, session=request.session)
    require(membership is not None)
    return membership.agency


def require(condition: bool) -> None:
    """Raise PermissionDenied (403) unless `condition` holds."""
    if not condition:
        raise PermissionDenied


def figures_scope(user):
    """The municipalities whose concern-conversation figures `user` may see: for a
    manager or SSP coordinator, the municipalities of those agencies (a district
    agency: the district's municipalities); none for anyone else.

    Figures are aggregate counts (conversations.figures): no names, no ids. So
    they are not limited to the conversations the user may open; they cover the
    municipalities whose prevention work the user oversees."""
    from organisations.models import Membership, Municipality

    if not (user.is_authenticated and user.is_active):
        return Municipality.objects.none()
    overseeing = Membership.objects.filter(
        user=user, role__in=[Role.MANAGER, Role.SSP_COORDINATOR]
    )
    return Municipality.objects.filter(
        models.Q(pk__in=overseeing.values("agency__municipality"))
        | models.Q(police_district__in=overseeing.values("agency__police_district"))
    ).order_by("name")


def exit_figures_scope(user):
    """The municipalities whose Exit programme figures `user` may see: a manager's
    (a district agency's manager: the district's municipalities) and the
    municipality of each exit unit the user coordinates for. Not the SSP
    coordinators of figures_scope: with 5–8 cases a year, a count of one ending
    may point at a person the coordinator knows."""
    from organisations.models import AgencyKind, Membership, Municipality

    if not (user.is_authenticated and user.is_active):
        return Municipality.objects.none()
    managing = Membership.objects.filter(user=user, role=Role.MANAGER)
    coordinating = Membership.objects.filter(
        user=user, role=Role.EXIT_COORDINATOR, agency__kind=AgencyKind.EXIT_UNIT
    )
    return Municipality.objects.filter(
        models.Q(pk__in=managing.values("agency__municipality"))
        | models.Q(police_district__in=managing.values("agency__police_district"))
        | models.Q(pk__in=coordinating.values("agency__municipality"))
    ).order_by("name")


def can_approve_plans(user, municipality) -> bool:
    """May the user approve family action plans in `municipality`? A manager of
    an agency of that municipality (issue 7: "approved by a manager")."""
    from organisations.selectors import membership_list

    if not (user and user.is_authenticated and user.is_active):
        return False
    return any(
        m.role == Role.MANAGER and m.agency.municipality_id == municipality.pk
        for m in membership_list(user=user)
    )
