"""Import of young people from CSV or XLSX with a dry run (issue 3, point 8):
row-by-row report of create / match / reject with field-level reasons, then the
real import, atomic; rejected rows never half-save."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from audit.models import AuditEntry
from cases.import_views import SESSION_KEY
from cases.importing import MAX_ROWS
from cases.importing import import_persons as _import_persons
from cases.models import Person
from cases.services import person_create
from organisations.models import Membership, Role
from tests.conftest import make_user
from timeline.models import TimelineEntry

HEADER = ["Fornavn", "Efternavn", "CPR-nummer", "Kommune", "E-mail"]
PAGE = "cases:person_import"
API = "/api/v1/persons/import/"

DA_DATE = "De første seks cifre i et CPR-nummer skal være en rigtig dato."
DA_TAKEN = "Der er allerede registreret en person med dette CPR-nummer."
DA_MUNICIPALITY = "Din enhed arbejder ikke i denne kommune."
EN_TAKEN = "A person with this CPR number is already registered."


def csv_file(rows, *, header=HEADER, delimiter=";", encoding="utf-8-sig") -> bytes:
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(content: bytes, name: str = "unge.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def counts() -> dict:
    return {
        "persons": Person.objects.count(),
        "timeline": TimelineEntry.objects.count(),
        **{
            action: AuditEntry.objects.filter(action=action).count()
            for action in ("create", "search", "view", "list")
        },
    }


@pytest.fixture
def existing(record_in_ishoej) -> Person:
    return record_in_ishoej(
        given_name="Eksisterende", family_name="Ungsen", cpr="010410-4001"
    )


@pytest.fixture
def mixed(existing) -> bytes:
    """One row for each outcome and reason; a blank line keeps its row number."""
    return csv_file(
        [
            ["Ny", "Ungsen", "010410-4002", "183", ""],  # 2 create
            ["Eks", "Ungsen", "0104104001", "Ishøj", ""],  # 3 match
            ["Dato", "Forkert", "320410-4003", "183", ""],  # 4 bad CPR date
            ["", "Navnløs", "", "183", ""],  # 5 given name missing
            ["Ukendt", "Kommune", "", "Atlantis", ""],  # 6 unknown municipality
            ["Anden", "Kommune", "", "165", ""],  # 7 not the agency's
            ["Dårlig", "Mail", "", "183", "ikke-en-mail"],  # 8 invalid e-mail
            ["", "", "", "", ""],  # 9 blank: skipped
            ["Uden", "Cpr", "", "ishøj", "uden@example.org"],  # 10 create
        ]
    )


def import_persons(**kwargs):
    """In English: the Danish for messages new with the import comes later."""
    with translation.override("en"):
        return _import_persons(**kwargs)


def outcomes(report) -> list[tuple[int, str]]:
    return [(r.row, r.outcome) for r in report.rows]


EXPECTED = [
    (2, "create"),
    (3, "match"),
    (4, "reject"),
    (5, "reject"),
    (6, "reject"),
    (7, "reject"),
    (8, "reject"),
    (10, "create"),
]


def test_dry_run_reports_each_row_and_writes_nothing(mixed, existing, personas, world):
    before = counts()
    report = import_persons(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        file=mixed,
        filename="unge.csv",
        dry_run=True,
    )
    assert report.dry_run
    assert outcomes(report) == EXPECTED
    assert (report.created, report.matched, report.rejected) == (2, 1, 5)
    rows = {r.row: r for r in report.rows}
    assert rows[2].person is None  # nothing was created
    assert rows[3].person == existing and rows[3].errors == {}
    assert list(rows[4].errors) == ["cpr"]
    assert list(rows[5].errors) == ["given_name"]
    assert list(rows[6].errors) == ["municipality"]
    assert rows[7].errors == {
        "municipality": ["Your agency does not work in this municipality."]
    }
    assert list(rows[8].errors) == ["email"]
    # Only the search itself is logged, naming the person it showed.
    after = counts()
    assert after == {**before, "search": before["search"] + 1}
    entry = AuditEntry.objects.get(action="search")
    assert entry.object_type == "cases.person_import"
    assert {s.person_id for s in entry.subjects.all()} == {existing.pk}
    assert "0104104" not in entry.criterion and "Ungsen" not in entry.criterion


def test_real_import_creates_valid_rows_and_only_them(mixed, existing, personas, world):
    before = counts()
    report = import_persons(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        file=mixed,
        filename="unge.csv",
        dry_run=False,
    )
    assert outcomes(report) == EXPECTED
    created = Person.objects.exclude(pk=existing.pk)
    assert sorted(p.given_name for p in created) == ["Ny", "Uden"]
    new = created.get(given_name="Ny")
    assert new.date_of_birth == date(2010, 4, 1)
    assert new.recorded_by == world.ssp_ishoej and new.municipality == world.ishoej
    assert created.get(given_name="Uden").email == "uden@example.org"
    assert {r.person for r in report.rows if r.outcome == "create"} == set(created)
    # Rejected rows left nothing: two persons, each with its own timeline entry and
    # audit entry, plus one entry for the import as a whole.
    after = counts()
    assert after["persons"] == before["persons"] + 2
    assert after["timeline"] == before["timeline"] + 2
    assert after["create"] == before["create"] + 3
    whole = AuditEntry.objects.get(action="create", object_type="cases.person_import")
    assert {s.person_id for s in whole.subjects.all()} == {
        *created.values_list("pk", flat=True),
        existing.pk,
    }


def test_dry_run_and_real_run_agree(mixed, personas, world):
    def run(dry_run):
        report = import_persons(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            file=mixed,
            filename="unge.csv",
            dry_run=dry_run,
        )
        return [(r.row, r.outcome, r.errors) for r in report.rows]

    assert run(True) == run(False)


def test_cpr_of_a_person_the_user_may_not_see_is_rejected_without_a_trace(
    personas, world, client_for
):
    hidden = person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="Skjult",
        family_name="Hemmeligsen",
        cpr="010410-4010",
    )
    content = csv_file([["Andet", "Navn", "010410-4010", "183", ""]])
    client = client_for(personas.ssp)
    page = client.post(reverse(PAGE), {"file": upload(content)})
    assert page.status_code == 200
    (row,) = page.context["report"].rows
    assert row.outcome == "reject" and row.person is None
    assert row.errors == {"cpr": [DA_TAKEN]}
    html = page.content.decode()
    for secret in ("Skjult", "Hemmeligsen", "Albertslund", str(hidden.pk)):
        assert secret not in html
    api = client.post(API, {"file": upload(content)}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["rows"] == [
        {"row": 2, "outcome": "reject", "person": None, "errors": {"cpr": [EN_TAKEN]}}
    ]
    assert str(hidden.pk) not in str(api)
    assert not AuditEntry.objects.filter(
        subjects__person_id=hidden.pk, user=personas.ssp
    )


def test_same_cpr_twice_in_the_file_rejects_the_second(personas, world):
    content = csv_file(
        [
            ["En", "Gang", "010410-4020", "183", ""],
            ["To", "Gange", "0104104020", "183", ""],
        ]
    )
    report = import_persons(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        file=content,
        filename="unge.csv",
        dry_run=False,
    )
    assert outcomes(report) == [(2, "create"), (3, "reject")]
    assert report.rows[1].errors == {
        "cpr": ["This CPR number is also on row 2 of the file."]
    }
    assert Person.objects.get().given_name == "En"


def test_danish_messages_on_the_page(existing, personas, world, client_for):
    content = csv_file(
        [
            ["Dato", "Forkert", "320410-4030", "183", ""],
            ["Anden", "Kommune", "", "Albertslund", ""],
            ["", "Navnløs", "", "183", ""],
        ]
    )
    response = client_for(personas.ssp).post(reverse(PAGE), {"file": upload(content)})
    rows = response.context["report"].rows
    assert rows[0].errors == {"cpr": [DA_DATE]}
    assert rows[1].errors == {"municipality": [DA_MUNICIPALITY]}
    assert rows[2].errors == {"given_name": ["Dette felt er påkrævet."]}
    html = response.content.decode()
    assert DA_DATE in html and DA_MUNICIPALITY in html


def test_comma_csv_in_windows_1252(personas, world):
    content = csv_file(
        [["Søren", "Ærøskøbing", "010410-4040", "Ishøj", "s@example.org"]],
        header=["given_name", "FAMILY_NAME", "cpr", "municipality", "email"],
        delimiter=",",
        encoding="cp1252",
    )
    report = import_persons(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        file=content,
        filename="LISTE.CSV",
        dry_run=False,
    )
    assert outcomes(report) == [(2, "create")]
    person = Person.objects.get()
    assert (person.given_name, person.family_name) == ("Søren", "Ærøskøbing")


def test_semicolon_csv_with_bom_and_all_columns(personas, world):
    header = [
        "fornavn",
        "efternavn",
        "fødselsdato",
        "kommune",
        "skole",
        "adresse",
        "adressebeskyttelse",
        "telefon",
        "e-mail",
        "noter",
    ]
    content = csv_file(
        [
            ["A", "Et", "15.03.2010", "183", "Ishøj Skole", "Vej 1", "nej", "12", ""],
            ["B", "To", "2011-01-02", "183", "", "Hemmelig Vej 2", "Ja", "", ""],
            ["C", "Tre", "03-02-2012", "183", "", "", "måske", "", ""],
            ["D", "Fire", "2012-13-40", "183", "", "", "", "", ""],
        ],
        header=header,
    )
    assert content.startswith(b"\xef\xbb\xbf")
    report = import_persons(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        file=content,
        filename="unge.csv",
        dry_run=False,
    )
    assert report.ignored_columns == ["noter"]
    assert outcomes(report) == [
        (2, "create"),
        (3, "create"),
        (4, "reject"),
        (5, "reject"),
    ]
    assert list(report.rows[2].errors) == ["address_protected"]
    assert list(report.rows[3].errors) == ["date_of_birth"]
    a = Person.objects.get(given_name="A")
    assert (a.date_of_birth, a.school, a.address, a.phone) == (
        date(2010, 3, 15),
        "Ishøj Skole",
        "Vej 1",
        "12",
    )
    b = Person.objects.get(given_name="B")
    # A protected address is not recorded at all.
    assert b.address_protected and b.address == ""


def xlsx_file(
    rows,
    header=(
        "given_name",
        "family_name",
        "cpr",
        "date_of_birth",
        "municipality",
        "address_protected",
    ),
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.create_sheet("Ignored").append(["nothing", "here"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_first_sheet_with_date_and_number_cells(personas, world):
    content = xlsx_file(
        [
            # A spreadsheet that took the CPR number for a number dropped the 0.
            ("Xl", "Sx", 104104050, None, 183, True),
            ("Dato", "Celle", None, date(2011, 5, 6), "Ishøj", 0),
            ("Mod", "Sigende", "010410-4051", date(2011, 5, 6), 183, None),
        ]
    )
    report = import_persons(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        file=content,
        filename="unge.xlsx",
        dry_run=False,
    )
    assert outcomes(report) == [(2, "create"), (3, "create"), (4, "reject")]
    assert list(report.rows[2].errors) == ["date_of_birth"]
    first = Person.objects.get(given_name="Xl")
    assert first.date_of_birth == date(2010, 4, 1) and first.address_protected
    assert Person.objects.get(given_name="Dato").date_of_birth == date(2011, 5, 6)


@pytest.mark.parametrize(
    "content,filename,words",
    [
        (
            csv_file(
                [["A", "B", "", "183"]], header=["fornavn", "efternavn", "cpr", "x"]
            ),
            "unge.csv",
            "kommune (municipality)",
        ),
        (b"", "unge.csv", "empty"),
        (b"not a zip file", "unge.xlsx", "XLSX"),
        (b"%PDF-1.4", "unge.pdf", "CSV or XLSX"),
        (
            csv_file([], header=["fornavn", "Fornavn", "efternavn", "kommune"]),
            "unge.csv",
            "more than once",
        ),
    ],
)
def test_a_bad_file_is_refused_as_a_whole(content, filename, words, personas, world):
    with pytest.raises(ValidationError) as exc:
        import_persons(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            file=content,
            filename=filename,
            dry_run=True,
        )
    (message,) = exc.value.message_dict["file"]
    assert words in message
    assert not Person.objects.exists()


def test_limits(personas, world):
    many = csv_file([["A", "B", "", "183", ""]] * (MAX_ROWS + 1))
    with pytest.raises(ValidationError, match="more than 5000 rows"):
        import_persons(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            file=many,
            filename="unge.csv",
            dry_run=True,
        )
    big = csv_file([["A" * 1000, "B", "", "183", ""]] * 2100)
    assert len(big) > 2 * 1024 * 1024
    with pytest.raises(ValidationError, match="larger than 2 MB"):
        import_persons(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            file=big,
            filename="unge.csv",
            dry_run=True,
        )


def test_page_flow_dry_run_then_confirm(
    mixed, existing, personas, client_for, django_assert_max_num_queries
):
    client = client_for(personas.ssp)
    with django_assert_max_num_queries(15):
        page = client.get(reverse(PAGE))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="file"' in html and "adressebeskyttelse" in html
    assert "<caption>" in html and 'scope="col"' in html

    dry = client.post(reverse(PAGE), {"file": upload(mixed)})
    assert dry.status_code == 200
    assert [(r.row, r.outcome) for r in dry.context["report"].rows] == EXPECTED
    assert Person.objects.count() == 1
    stored = client.session[SESSION_KEY]
    assert "010410" not in stored and "Ungsen" not in stored
    token = dry.context["token"]
    html = dry.content.decode()
    assert f'value="{token}"' in html and 'name="confirm"' in html

    done = client.post(reverse(PAGE), {"confirm": "1", "token": token})
    assert done.status_code == 200
    assert not done.context["report"].dry_run
    assert Person.objects.count() == 3
    assert SESSION_KEY not in client.session
    # The same confirmation cannot import twice.
    again = client.post(reverse(PAGE), {"confirm": "1", "token": token})
    assert again.status_code == 400
    assert Person.objects.count() == 3


def test_confirm_needs_the_token_of_the_dry_run(mixed, personas, client_for):
    client = client_for(personas.ssp)
    client.post(reverse(PAGE), {"file": upload(mixed)})
    wrong = client.post(reverse(PAGE), {"confirm": "1", "token": "guess"})
    assert wrong.status_code == 400
    assert Person.objects.count() == 1  # only `existing`


def test_page_bad_upload_is_400_with_the_field_error(personas, client_for):
    client = client_for(personas.ssp)
    missing = client.post(reverse(PAGE), {})
    assert missing.status_code == 400 and "file" in missing.context["form"].errors
    content = csv_file([["A", "B"]], header=["fornavn", "efternavn"])
    bad = client.post(reverse(PAGE), {"file": upload(content)})
    assert bad.status_code == 400
    assert "kommune (municipality)" in bad.context["form"].errors["file"][0]
    assert SESSION_KEY not in client.session


def test_page_wrong_method(personas, client_for):
    assert client_for(personas.ssp).put(reverse(PAGE)).status_code == 405


def test_api_dry_run_by_default_then_real_run(mixed, existing, personas, client_for):
    client = client_for(personas.ssp)
    dry = client.post(API, {"file": upload(mixed)})
    assert dry.status_code == 200, dry.content
    body = dry.json()
    assert (body["dry_run"], body["created"], body["matched"], body["rejected"]) == (
        True,
        2,
        1,
        5,
    )
    assert [(r["row"], r["outcome"]) for r in body["rows"]] == EXPECTED
    assert body["rows"][0]["person"] is None
    assert body["rows"][1]["person"] == str(existing.pk)
    assert body["rows"][2]["errors"]["cpr"]
    assert Person.objects.count() == 1

    real = client.post(API, {"file": upload(mixed), "dry_run": "false"}).json()
    assert real["dry_run"] is False and real["created"] == 2
    created = [r["person"] for r in real["rows"] if r["outcome"] == "create"]
    assert set(created) == {
        str(pk)
        for pk in Person.objects.exclude(pk=existing.pk).values_list("pk", flat=True)
    }


def test_api_bad_file_is_400_in_danish(personas, client_for):
    client = client_for(personas.ssp)
    content = csv_file([["A", "B"]], header=["fornavn", "efternavn"])
    bad = client.post(API, {"file": upload(content)}, HTTP_ACCEPT_LANGUAGE="da")
    assert bad.status_code == 400
    assert "kommune (municipality)" in bad.json()["errors"]["file"][0]
    missing = client.post(API, {}, HTTP_ACCEPT_LANGUAGE="da")
    assert missing.status_code == 400 and "file" in missing.json()["errors"]
    assert client.get(API).status_code == 405


@pytest.mark.parametrize("who", ["auditor", "admin", "superuser", "nobody"])
def test_who_may_not_record_gets_403(who, mixed, personas, world, client_for):
    user = make_user("nobody") if who == "nobody" else getattr(personas, who)
    client = client_for(user)
    assert client.get(reverse(PAGE)).status_code == 403
    assert client.post(reverse(PAGE), {"file": upload(mixed)}).status_code == 403
    assert client.post(API, {"file": upload(mixed)}).status_code == 403
    assert (
        client.post(API, {"file": upload(mixed), "dry_run": "false"}).status_code == 403
    )
    assert Person.objects.count() == 1  # only `existing`


def test_acting_agency_decides(mixed, personas, world, client_for):
    """A user in two agencies imports for the one it acts through."""
    Membership.objects.create(
        user=personas.auditor, agency=world.ssp_albertslund, role=Role.SSP_COORDINATOR
    )
    client = client_for(personas.auditor)
    body = client.post(API, {"file": upload(mixed), "dry_run": "false"}).json()
    # Albertslund SSP works in Albertslund (165) only.
    outcome = {r["row"]: (r["outcome"], list(r["errors"])) for r in body["rows"]}
    assert outcome[7] == ("create", [])
    assert outcome[2] == ("reject", ["municipality"])
    assert Person.objects.get(given_name="Anden").recorded_by == world.ssp_albertslund


def test_imported_persons_are_seen_only_by_the_importing_agency(
    mixed, personas, client_for
):
    client_for(personas.ssp).post(API, {"file": upload(mixed), "dry_run": "false"})
    imported = Person.objects.get(given_name="Ny")
    url = reverse("cases:person_detail", args=[imported.pk])
    assert client_for(personas.ssp).get(url).status_code == 200
    for outsider in ("social", "ssp_albertslund", "police", "auditor", "admin"):
        response = client_for(getattr(personas, outsider)).get(url)
        assert response.status_code == 404, outsider
