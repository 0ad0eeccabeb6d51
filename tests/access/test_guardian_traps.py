"""The known traps of django-guardian and DRF, each closed (foundation issue,
point 6)."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from access.permissions import VIEW, visible
from cases.models import Person
from cases.services import person_create
from organisations.models import User


def test_superuser_sees_no_case_data(personas, ishoej_person):
    assert personas.superuser.is_superuser
    assert not visible(personas.superuser, Person, audit=None).exists()


def test_model_level_permission_does_not_open_every_object(personas, ishoej_person):
    personas.police.user_permissions.add(Permission.objects.get(codename="view_person"))
    police = User.objects.get(pk=personas.police.pk)  # fresh permission cache
    assert police.has_perm("cases.view_person")
    assert not visible(police, Person, audit=None).exists()


def test_guardian_anonymous_user_row_is_not_created(db):
    assert not User.objects.filter(username="AnonymousUser").exists()


def test_anonymous_user_sees_nothing(ishoej_person):
    from django.contrib.auth.models import AnonymousUser

    assert list(visible(AnonymousUser(), Person, audit=None)) == []


def test_filtering_is_one_query_whatever_the_volume(personas, world, ishoej_person):
    # Persons the user cannot see do not add work to its query.
    for i in range(30):
        person_create(
            actor=personas.ssp_albertslund,
            agency=world.ssp_albertslund,
            municipality=world.albertslund,
            given_name=f"Other{i}",
            family_name="Person",
        )
    with CaptureQueriesContext(connection) as queries:
        rows = list(visible(personas.ssp, Person, audit=None))
    assert [p.pk for p in rows] == [ishoej_person.pk]
    assert len(queries) == 1
    sql = queries[0]["sql"].upper()
    assert "IN (SELECT" in sql or "EXISTS" in sql


def test_drf_default_permission_denies(client, db):
    from django.conf import settings

    assert settings.REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] == [
        "access.api.IsVerifiedMember"
    ]
    assert client.get("/api/v1/persons/").status_code in (401, 403)
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_every_api_endpoint_refuses_anonymous(client, db):
    """Deny by default: walk every /api/ URL the router knows."""
    patterns = []

    def walk(resolver, prefix=""):
        for p in resolver.url_patterns:
            if hasattr(p, "url_patterns"):
                walk(p, prefix + str(p.pattern))
            else:
                patterns.append(
                    (prefix + str(p.pattern)).replace("^", "").replace("$", "")
                )

    walk(get_resolver())
    api = [
        p for p in patterns if p.startswith("api/") and not any(c in p for c in "<(\\")
    ]
    assert "api/v1/persons/" in api
    for path in api:
        response = client.get("/" + path)
        assert response.status_code in (401, 403), path


def test_change_needs_its_own_grant(personas, world, ishoej_person):
    from access.permissions import CHANGE, can
    from access.services import access_grant

    access_grant(
        actor=personas.ssp,
        obj=ishoej_person,
        agency=world.police_vestegn,
        actions=[VIEW],
        legal_basis="RPL115_2",
    )
    assert can(personas.police, ishoej_person, VIEW)
    assert not can(personas.police, ishoej_person, CHANGE)
