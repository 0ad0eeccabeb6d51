"""The demo world: Københavns Vestegn, its police district and one user per role.

Used by `manage.py seed_demo` and by the test personas, so that the demo and the
tests speak of the same agencies.
"""

from __future__ import annotations

from django.db import transaction

from .models import (
    Agency,
    AgencyKind,
    Membership,
    Municipality,
    PoliceDistrict,
    Role,
    User,
)

DISTRICT = "Københavns Vestegns Politi"

# Official municipality codes (kommunekoder) of the 11 Vestegn municipalities.
MUNICIPALITIES = {
    "Albertslund": "165",
    "Ballerup": "151",
    "Brøndby": "153",
    "Gladsaxe": "159",
    "Glostrup": "161",
    "Herlev": "163",
    "Hvidovre": "167",
    "Høje-Taastrup": "169",
    "Ishøj": "183",
    "Rødovre": "175",
    "Vallensbæk": "187",
}

MUNICIPAL_AGENCIES = {
    AgencyKind.SCHOOL: "{m} Kommune, Skoler",
    AgencyKind.CHILDREN_FAMILY: "{m} Kommune, Børne- og Familierådgivningen",
    AgencyKind.YOUTH_UNIT: "{m} Kommune, Ungeenheden",
    AgencyKind.SSP_UNIT: "{m} Kommune, SSP",
    AgencyKind.JOB_CENTRE: "{m} Kommune, Jobcenter",
    AgencyKind.ADDICTION_CENTRE: "{m} Kommune, Misbrugscenter",
    AgencyKind.PSYCHIATRY: "{m} Kommune, Socialpsykiatri",
    AgencyKind.EXIT_UNIT: "{m} Kommune, Exit",
}

DISTRICT_AGENCIES = {
    AgencyKind.POLICE: f"{DISTRICT}, Forebyggelse",
    AgencyKind.PRISON_PROBATION: "Kriminalforsorgen Hovedstaden",
}

DEMO_PASSWORD = "tvaers-demo-2026"  # noqa: S105 - published, demo only

# username: (role, agency kind, municipality or None for the district)
DEMO_USERS = {
    "ssp": (Role.SSP_COORDINATOR, AgencyKind.SSP_UNIT, "Ishøj"),
    "politi": (Role.POLICE_LIAISON, AgencyKind.POLICE, None),
    "exit": (Role.EXIT_COORDINATOR, AgencyKind.EXIT_UNIT, "Ishøj"),
    "socialraadgiver": (Role.SOCIAL_WORKER, AgencyKind.CHILDREN_FAMILY, "Ishøj"),
    "leder": (Role.MANAGER, AgencyKind.SSP_UNIT, "Ishøj"),
    "revisor": (Role.AUDITOR, AgencyKind.SSP_UNIT, "Ishøj"),
    "admin": (Role.ADMINISTRATOR, AgencyKind.SSP_UNIT, "Ishøj"),
    "ssp.albertslund": (Role.SSP_COORDINATOR, AgencyKind.SSP_UNIT, "Albertslund"),
}


# Fictitious staff: how they sign letters, minutes and agreements (issue 18,
# point 4). The e-mail domain is reserved (RFC 2606), so nothing is ever sent.
DEMO_IDENTITIES = {
    "ssp": ("Mette", "Lund", "SSP-koordinator", "43 57 70 11"),
    "politi": ("Jonas", "Kjær", "Politiassistent, SSP-betjent", "43 86 14 48"),
    "exit": ("Sara", "Holm", "Exit-koordinator", "43 57 70 25"),
    "socialraadgiver": ("Amina", "Rasmussen", "Socialrådgiver", "43 57 71 30"),
    "leder": ("Henrik", "Bach", "Afdelingsleder, SSP og Forebyggelse", "43 57 70 01"),
    "revisor": ("Lone", "Vestergaard", "Databeskyttelsesrådgiver", "43 57 70 90"),
    "admin": ("Peter", "Nygaard", "Systemadministrator", "43 57 70 99"),
    "ssp.albertslund": ("Karim", "Jensen", "SSP-koordinator", "43 68 60 12"),
}


def demo_identity(username: str) -> dict[str, str]:
    first, last, title, phone = DEMO_IDENTITIES[username]
    local = f"{first}.{last}".lower().replace("æ", "ae").replace("ø", "oe")
    return {
        "first_name": first,
        "last_name": last,
        "title": title,
        "phone": phone,
        "email": f"{local}@tvaers-demo.invalid",
    }


def agency_of(kind: str, municipality: str | None) -> Agency:
    if municipality is None:
        return Agency.objects.get(name=DISTRICT_AGENCIES[kind])
    return Agency.objects.get(
        name=MUNICIPAL_AGENCIES[kind].format(m=municipality),
        municipality__name=municipality,
    )


@transaction.atomic
def seed_organisations() -> None:
    district, _ = PoliceDistrict.objects.get_or_create(name=DISTRICT)
    for name, code in MUNICIPALITIES.items():
        municipality, _ = Municipality.objects.update_or_create(
            code=code, defaults={"name": name, "police_district": district}
        )
        for kind, pattern in MUNICIPAL_AGENCIES.items():
            Agency.objects.get_or_create(
                name=pattern.format(m=name),
                municipality=municipality,
                defaults={"kind": kind},
            )
    for kind, name in DISTRICT_AGENCIES.items():
        Agency.objects.get_or_create(
            name=name, police_district=district, defaults={"kind": kind}
        )


@transaction.atomic
def seed_users(password: str = DEMO_PASSWORD) -> dict[str, User]:
    users = {}
    for username, (role, kind, municipality) in DEMO_USERS.items():
        identity = demo_identity(username)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"is_staff": role == Role.ADMINISTRATOR, **identity},
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        elif user.identity_missing():
            # A demo database from before staff had names and titles.
            for field, value in identity.items():
                setattr(user, field, value)
            user.save(update_fields=list(identity))
        Membership.objects.get_or_create(
            user=user, agency=agency_of(kind, municipality), role=role
        )
        users[username] = user
    return users
