"""`seed_demo`: the Vestegn world with one user per role, idempotently (point 12)."""

from __future__ import annotations

from django.core.management import call_command

from cases.models import Person
from organisations.demo import DEMO_USERS, MUNICIPALITIES
from organisations.models import Agency, Membership, Municipality, Role, User


def test_seed_demo_is_idempotent(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    counts = (
        Municipality.objects.count(),
        Agency.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Person.objects.count(),
    )
    call_command("seed_demo", verbosity=0)
    assert counts == (
        Municipality.objects.count(),
        Agency.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Person.objects.count(),
    )
    assert Municipality.objects.count() == len(MUNICIPALITIES) == 11
    assert {m.police_district.name for m in Municipality.objects.all()} == {
        "Københavns Vestegns Politi"
    }
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(username__in=DEMO_USERS).count() == len(DEMO_USERS)


def test_agency_groups_follow_memberships(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    ssp = User.objects.get(username="ssp")
    admin = User.objects.get(username="admin")
    assert ssp.groups.count() == 1
    assert admin.groups.count() == 0  # administering is not reading
