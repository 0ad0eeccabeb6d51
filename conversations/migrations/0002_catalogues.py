"""The method catalogue with its example questions (seed 001, part 2: motivational
interviewing, solution-focused LØFT, restorative questions, the concern conversation
itself) and the measure types (DOMAIN.md §6). Data administrators edit afterwards."""

from django.db import migrations

METHODS = [
    (
        "Bekymringssamtale (grundform)",
        "Concern conversation (basic form)",
        "Tre faser: kortlægning, ansvarliggørelse og tiltag (seed 001).",
        [
            (
                "mapping",
                "Hvordan oplever du de andre i klassen, og hvordan tror du, at de "
                "oplever dig?",
                "How do you experience the others in your class, and how do you "
                "think they experience you?",
            ),
            (
                "accountability",
                "Hvad tror du, der kan ske, hvis det fortsætter?",
                "What do you think may happen if it goes on?",
            ),
            (
                "measures",
                "Hvad kan din familie, din skole og dit fritidsliv gøre for at "
                "hjælpe dig videre?",
                "What can your family, your school and your leisure time do to help "
                "you on?",
            ),
        ],
    ),
    (
        "Motiverende samtale (MI)",
        "Motivational interviewing (MI)",
        "Åbne, nysgerrige spørgsmål, bekræftende udsagn, reflekterende lytning og "
        "opsummering.",
        [
            (
                "mapping",
                "Hvordan ser du selv på din situation?",
                "How do you see your situation yourself?",
            ),
            (
                "mapping",
                "Fortæl mig noget mere om det …",
                "Tell me more about that …",
            ),
            (
                "accountability",
                "Hvad er grunden til, at vi sidder her i dag, synes du?",
                "Why do you think we are sitting here today?",
            ),
            (
                "measures",
                "Hvad vil du gerne have skal være anderledes?",
                "What would you like to be different?",
            ),
            (
                "",
                "Opsummér: saml de vigtigste temaer og den unges egne mål.",
                "Summarise: gather the main themes and the young person's own goals.",
            ),
        ],
    ),
    (
        "Løsningsfokuseret tilgang (LØFT)",
        "Solution-focused approach (LØFT)",
        "Fokus på den fremtidige tilværelse, håb og det, der allerede virker.",
        [
            (
                "mapping",
                "Hvad gør du faktisk allerede, eller hvad har du tidligere gjort, "
                "som hjælper med til, at dine håb bliver til virkelighed?",
                "What do you already do, or have you done, that helps your hopes "
                "come true?",
            ),
            (
                "mapping",
                "Hvad gjorde du (eller andre), eller hvad skete der, dengang "
                "udfordringen ikke dukkede op?",
                "What did you (or others) do, or what happened, when the challenge "
                "did not turn up?",
            ),
            (
                "measures",
                "Hvad er dine bedste håb for det forløb, som du nu skal i gang med?",
                "What are your best hopes for what you are now starting?",
            ),
            (
                "measures",
                "Hvordan ville din tilværelse fremover se ud, hvis de blev til "
                "virkelighed?",
                "What would your life look like if they came true?",
            ),
        ],
    ),
    (
        "Genoprettende spørgsmål (RGP)",
        "Restorative questions (RGP)",
        "Relationsdannende og genoprettende praksis: spørgsmål, der inviterer til "
        "dialog om det skete.",
        [
            ("mapping", "Hvad skete der?", "What happened?"),
            (
                "mapping",
                "Hvad tænkte du, da det skete?",
                "What were you thinking when it happened?",
            ),
            (
                "accountability",
                "Hvad har du tænkt på siden?",
                "What have you thought about since?",
            ),
            (
                "accountability",
                "Hvordan har det berørt dig og andre?",
                "How has it affected you and others?",
            ),
            (
                "accountability",
                "Hvad har været det sværeste for dig?",
                "What has been the hardest for you?",
            ),
            (
                "measures",
                "Hvad synes du, der skal ske nu?",
                "What do you think needs to happen now?",
            ),
        ],
    ),
]

MEASURE_TYPES = [
    ("Fritidsjob", "Leisure job"),
    ("Mentor", "Mentor"),
    ("Skolestøtte", "School support"),
    ("Klub eller fritidstilbud", "Club or leisure activity"),
    ("Familiestøtte", "Family support"),
    ("Uddannelse", "Education"),
    ("Jobcenter", "Job centre"),
    ("Misbrugsbehandling", "Addiction treatment"),
    ("Psykiatrisk behandling", "Psychiatric treatment"),
    ("Gældsrådgivning", "Debt counselling"),
    ("Forældresamtale eller forældrekursus", "Parent conversation or course"),
    ("Opfølgningssamtale med politiet", "Follow-up conversation with the police"),
    ("Andet", "Other"),
]


def seed(apps, schema_editor):
    Method = apps.get_model("conversations", "Method")
    MethodQuestion = apps.get_model("conversations", "MethodQuestion")
    MeasureType = apps.get_model("conversations", "MeasureType")
    for position, (name_da, name_en, description, questions) in enumerate(METHODS):
        method, _ = Method.objects.get_or_create(
            name_da=name_da,
            defaults={
                "name_en": name_en,
                "description_da": description,
                "position": position,
            },
        )
        MethodQuestion.objects.bulk_create(
            MethodQuestion(
                method=method, phase=phase, text_da=da, text_en=en, position=index
            )
            for index, (phase, da, en) in enumerate(questions)
        )
    MeasureType.objects.bulk_create(
        MeasureType(name_da=da, name_en=en, position=index)
        for index, (da, en) in enumerate(MEASURE_TYPES)
    )


class Migration(migrations.Migration):
    dependencies = [("conversations", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
