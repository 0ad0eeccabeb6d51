"""The four forum kinds with their legal bases and target age groups (issue 5,
point 1; LAW.md B1). Data an administrator corrects in the admin."""

from django.db import migrations

SSP_BASES = ["RPL115_1_1_SSP", "RPL115_2", "RPL115_3", "RPL115_5_GANG", "CONSENT"]
KINDS = [
    ("ssp", "SSP (under 18 år)", "SSP (under 18)", "ssp", SSP_BASES, None, 17),
    ("ssp_plus", "SSP+ (18–25 år)", "SSP+ (18–25)", "ssp", SSP_BASES, 18, 25),
    (
        "ksp",
        "KSP (Kriminalforsorgen, politi, kommune)",
        "KSP (prison & probation, police, municipality)",
        "ksp",
        [
            "RPL115_1_3a_KSP",
            "RPL115_1_3b_KSP_U18",
            "RPL115_1_3c_KSP_RADICAL",
            "RPL115_2",
            "RPL115_3",
            "CONSENT",
        ],
        None,
        None,
    ),
    (
        "psp",
        "PSP (psykiatri, socialområdet, politi)",
        "PSP (psychiatry, social services, police)",
        "psp",
        ["RPL115_1_2_PSP", "RPL115_2", "RPL115_3", "CONSENT"],
        None,
        None,
    ),
]


def seed(apps, schema_editor):
    ForumKind = apps.get_model("meetings", "ForumKind")
    for code, da, en, cooperation, bases, age_min, age_max in KINDS:
        ForumKind.objects.update_or_create(
            code=code,
            defaults={
                "name_da": da,
                "name_en": en,
                "cooperation": cooperation,
                "legal_bases": bases,
                "age_min": age_min,
                "age_max": age_max,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_forums_meetings")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
