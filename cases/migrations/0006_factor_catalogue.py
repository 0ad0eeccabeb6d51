"""Seed the factor catalogue from DOMAIN.md (seed 004) and fill search_name for the
persons recorded before it existed."""

from django.db import migrations

RISK = [
    ("Skolefravær", "School absence"),
    ("Manglende skolegang eller faglige nederlag", "School failure"),
    ("Hyppige skoleskift", "Frequent changes of school"),
    ("Mangelfuld forældreopdragelse", "Poor parenting"),
    ("Omsorgssvigt", "Neglect"),
    ("Fattigdom", "Poverty"),
    ("Social isolation", "Social isolation"),
    ("Bor i et udsat boligområde", "Lives in a vulnerable housing area"),
    ("Kriminelle venner", "Criminal peers"),
    ("Stoffer", "Drugs"),
    ("Gadeorienteret livsstil", "Street-oriented lifestyle"),
    ("Psykiske eller adfærdsmæssige vanskeligheder", "Mental or behavioural disorders"),
    ("Lav selvkontrol", "Low self-control"),
]
PROTECTIVE = [
    ("Positive skoleoplevelser", "Positive school experience"),
    ("Lovlydige venner", "Law-abiding friends"),
    ("Aktiv fritid", "Active leisure"),
    ("Tilknytning til omsorgsfulde forældre", "Attachment to caring parents"),
    ("Forældre med uddannelse og arbejde", "Parents with education and jobs"),
    ("Del af et positivt fællesskab", "Belongs to a positive community"),
    ("Stærke sociale kompetencer og selvkontrol", "Strong social skills and self-control"),
]


def seed(apps, schema_editor):
    Factor = apps.get_model("cases", "Factor")
    for kind, names in (("risk", RISK), ("protective", PROTECTIVE)):
        for position, (da, en) in enumerate(names, start=1):
            Factor.objects.get_or_create(
                kind=kind,
                name_da=da,
                defaults={"name_en": en, "position": position},
            )
    from core.text import search_key

    Person = apps.get_model("cases", "Person")
    for person in Person.objects.all():
        person.search_name = search_key(f"{person.given_name} {person.family_name}")
        person.save(update_fields=["search_name"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_person_details_and_factors")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
