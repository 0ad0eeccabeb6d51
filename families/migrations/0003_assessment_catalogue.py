"""The assessment's life domains and a starting set of risk factors and needs per
domain (issue 7, point 1; DOMAIN.md workflow 4, seed 000). Data an administrator
edits in the admin."""

from django.db import migrations

DOMAINS = [
    (
        "school",
        "Skole og uddannelse",
        "School and education",
        [
            (
                "risk",
                "Højt fravær eller skoleskift",
                "High absence or change of school",
            ),
            (
                "need",
                "Støtte til at gennemføre skole eller uddannelse",
                "Support to complete school or education",
            ),
        ],
    ),
    (
        "health",
        "Helbred og mental sundhed",
        "Health and mental health",
        [
            (
                "risk",
                "Psykiske vanskeligheder uden behandling",
                "Mental health problems without treatment",
            ),
            ("need", "Udredning eller behandling", "Assessment or treatment"),
        ],
    ),
    (
        "substances",
        "Rusmidler",
        "Substance use",
        [
            (
                "risk",
                "Brug af hash eller andre rusmidler",
                "Use of cannabis or other substances",
            ),
            ("need", "Rusmiddelbehandling", "Substance use treatment"),
        ],
    ),
    (
        "family",
        "Familierelationer og forældreskab",
        "Family relations and parenting",
        [
            (
                "risk",
                "Konflikter eller svag forældreopbakning",
                "Conflict or weak parental support",
            ),
            (
                "need",
                "Forældrestøtte eller familiebehandling",
                "Parenting support or family therapy",
            ),
        ],
    ),
    (
        "leisure",
        "Fritid",
        "Leisure",
        [
            ("risk", "Ingen faste fritidsaktiviteter", "No regular leisure activities"),
            ("need", "Brobygning til fritidstilbud", "Bridging to leisure activities"),
        ],
    ),
    (
        "peers",
        "Venner og netværk",
        "Peers and network",
        [
            (
                "risk",
                "Ældre venner med kriminel adfærd",
                "Older friends with criminal behaviour",
            ),
            (
                "need",
                "Positive voksenrelationer, fx mentor",
                "Positive adult relations, e.g. a mentor",
            ),
        ],
    ),
    (
        "crime",
        "Kriminalitet",
        "Crime",
        [
            ("risk", "Sigtelser eller domme", "Charges or convictions"),
            (
                "need",
                "Kriminalitetsforebyggende samtaler",
                "Crime-preventive conversations",
            ),
        ],
    ),
    (
        "economy",
        "Beskæftigelse og økonomi",
        "Employment and economy",
        [
            ("risk", "Gæld eller usikker forsørgelse", "Debt or insecure income"),
            (
                "need",
                "Jobcentertilbud eller gældsrådgivning",
                "Job centre offer or debt counselling",
            ),
        ],
    ),
    (
        "housing",
        "Bolig",
        "Housing",
        [
            ("risk", "Trangboethed eller udsættelse", "Overcrowding or eviction"),
            ("need", "Boligsocial støtte", "Housing support"),
        ],
    ),
]


def seed(apps, schema_editor):
    Domain = apps.get_model("families", "AssessmentDomain")
    Factor = apps.get_model("families", "AssessmentFactor")
    for position, (code, da, en, factors) in enumerate(DOMAINS):
        domain, _ = Domain.objects.update_or_create(
            code=code, defaults={"name_da": da, "name_en": en, "position": position}
        )
        for order, (kind, fda, fen) in enumerate(factors):
            Factor.objects.update_or_create(
                domain=domain,
                name_da=fda,
                defaults={"kind": kind, "name_en": fen, "position": order},
            )


class Migration(migrations.Migration):
    dependencies = [("families", "0002_assessment_plan")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
