"""Shared fixtures: a small world of two police districts, three municipalities,
their agencies, and one persona per role (STYLE.md §16)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.fresh import FRESH_AUTH_AT
from accounts.middleware import LAST_SEEN, LOGGED_IN_AT
from cases.models import Person
from cases.services import person_create
from organisations.models import (
    Agency,
    AgencyKind,
    Membership,
    Municipality,
    PoliceDistrict,
    Role,
    User,
)

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_service(available: bool, reason: str) -> None:
    """A test that needs a real service fails in CI when it is missing, and skips
    with the reason only on a developer's machine (STYLE.md §17)."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


@dataclass
class World:
    vestegn: PoliceDistrict
    nordsjaelland: PoliceDistrict
    ishoej: Municipality
    albertslund: Municipality
    helsingoer: Municipality
    ssp_ishoej: Agency
    social_ishoej: Agency
    ssp_albertslund: Agency
    police_vestegn: Agency
    police_nordsjaelland: Agency
    ssp_helsingoer: Agency


@pytest.fixture
def world(db) -> World:
    vestegn = PoliceDistrict.objects.create(name="Københavns Vestegns Politi")
    nord = PoliceDistrict.objects.create(name="Nordsjællands Politi")
    ishoej = Municipality.objects.create(
        code="183", name="Ishøj", police_district=vestegn
    )
    albertslund = Municipality.objects.create(
        code="165", name="Albertslund", police_district=vestegn
    )
    helsingoer = Municipality.objects.create(
        code="217", name="Helsingør", police_district=nord
    )

    def agency(name, kind, municipality=None, district=None):
        return Agency.objects.create(
            name=name, kind=kind, municipality=municipality, police_district=district
        )

    return World(
        vestegn=vestegn,
        nordsjaelland=nord,
        ishoej=ishoej,
        albertslund=albertslund,
        helsingoer=helsingoer,
        ssp_ishoej=agency("Ishøj SSP", AgencyKind.SSP_UNIT, ishoej),
        social_ishoej=agency(
            "Ishøj Børn og Familie", AgencyKind.CHILDREN_FAMILY, ishoej
        ),
        ssp_albertslund=agency("Albertslund SSP", AgencyKind.SSP_UNIT, albertslund),
        police_vestegn=agency(
            "Vestegn Forebyggelse", AgencyKind.POLICE, district=vestegn
        ),
        police_nordsjaelland=agency(
            "Nordsjælland Forebyggelse", AgencyKind.POLICE, district=nord
        ),
        ssp_helsingoer=agency("Helsingør SSP", AgencyKind.SSP_UNIT, helsingoer),
    )


def make_user(username: str, *memberships: tuple[Agency, str], **extra) -> User:
    """A member of staff with a full identity (issue 18, point 4): named
    "<Username> Testesen" with a title, phone and work e-mail, unless given."""
    first = username.replace(".", " ").replace("_", " ").title().replace(" ", "")
    identity = {
        "first_name": first,
        "last_name": "Testesen",
        "title": "Medarbejder",
        "phone": "12 34 56 78",
        "email": f"{username}@tvaers-test.invalid",
    }
    user = User.objects.create_user(
        username=username, password="x-Secret-pass-1", **{**identity, **extra}
    )
    for agency, role in memberships:
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


@dataclass
class Personas:
    ssp: User  # SSP coordinator, Ishøj SSP
    social: (
        User  # social worker, Ishøj children & family (other agency, same municipality)
    )
    ssp_albertslund: User  # other municipality, same district
    police: User  # police liaison, Vestegn district
    police_other_district: User
    manager: User  # manager, Ishøj SSP
    auditor: User  # auditor, Ishøj SSP
    admin: User  # administrator only (is_staff), Ishøj SSP
    superuser: User  # Django superuser without any membership


@pytest.fixture
def personas(world) -> Personas:
    return Personas(
        ssp=make_user("ssp", (world.ssp_ishoej, Role.SSP_COORDINATOR)),
        social=make_user("social", (world.social_ishoej, Role.SOCIAL_WORKER)),
        ssp_albertslund=make_user(
            "ssp_albertslund", (world.ssp_albertslund, Role.SSP_COORDINATOR)
        ),
        police=make_user("police", (world.police_vestegn, Role.POLICE_LIAISON)),
        police_other_district=make_user(
            "police_nord", (world.police_nordsjaelland, Role.POLICE_LIAISON)
        ),
        manager=make_user("manager", (world.ssp_ishoej, Role.MANAGER)),
        auditor=make_user("auditor", (world.ssp_ishoej, Role.AUDITOR)),
        admin=make_user("admin", (world.ssp_ishoej, Role.ADMINISTRATOR), is_staff=True),
        superuser=make_user("root", is_staff=True, is_superuser=True),
    )


def verified_client(user: User) -> Client:
    """A browser session that passed password and TOTP, as the real login leaves it."""
    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[FRESH_AUTH_AT] = timezone.now().timestamp()
    # A session in use: its idle clock is running (accounts.middleware), so the
    # first request does not differ from the next by a session write.
    session[LAST_SEEN] = session[LOGGED_IN_AT] = timezone.now().timestamp()
    session.save()
    return client


@pytest.fixture
def client_for():
    return verified_client


@pytest.fixture
def ishoej_person(personas, world) -> Person:
    """A young person recorded by Ishøj SSP; only Ishøj SSP may see it."""
    return person_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        given_name="Testa",
        family_name="Hemmeligsen",
    )


@pytest.fixture
def record_in_ishoej(personas, world):
    """Record a person as Ishøj SSP's coordinator: `record_in_ishoej(given_name=…)`."""

    def record(**fields) -> Person:
        return person_create(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            municipality=world.ishoej,
            **fields,
        )

    return record
