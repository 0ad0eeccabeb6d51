"""Importing a police list for a forum (issue 5, point 3; docs/police-list.md): every
row's fate (matched, proposed, rejected with the reason per field), the dry run that
saves nothing, an import that never half-applies, the coordinator's confirm and
dismiss, the agenda built from the rows, the pages and the API with who may do what.

Police disclose the list under §115 stk. 1 nr. 1 (R-115-1): the list is seen by the
running SSP unit and the police agency only (R-115-5, no automatic sharing)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path, reverse
from django.utils import translation
from openpyxl import Workbook

from access.permissions import CHANGE, VIEW, can
from audit.models import Action, AuditEntry
from cases.models import Person
from cases.services import CPR_MESSAGES, person_create
from core.crypto import decrypt
from meetings import agenda, policelist, services
from meetings.import_api import PoliceListImportView
from meetings.models import (
    AgendaItem,
    ItemSource,
    ListKind,
    PoliceList,
    PoliceListRow,
    RowFate,
)

# The API view is mounted here for the tests; config/api_urls.py adds the same path.
urlpatterns = [
    path(
        "api/v1/forums/<uuid:pk>/police-lists/import/",
        PoliceListImportView.as_view(),
        name="api-police-list-import",
    ),
    path("", include("config.urls")),
]

HEADER = [
    "CPR-nummer",
    "Fornavn",
    "Efternavn",
    "Fødselsdato",
    "Kommune",
    "Antruffet",
    "Beskrivelse",
]
MATCHED_CPR = "010410-4001"
HIDDEN_CPR = "020410-4002"
NEW_CPR = "030410-4003"


def csv_file(rows, *, header=HEADER, delimiter=";") -> bytes:
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


# One row for each fate and each reason a row is rejected.
ROWS = [
    ["0104104001", "Kendt", "Matchsen", "", "183", "2025-01-10", "Set ved stationen"],
    [NEW_CPR, "Ny", "Foreslåsen", "", "Ishøj", "", ""],
    ["", "Uden", "Cprsen", "05.06.2010", "ishøj", "", "Set med B"],
    ["320410-4005", "Dato", "Forkert", "", "183", "", ""],  # 5 CPR not a date
    ["040410-4004", "", "Navnløs", "", "183", "", ""],  # 6 given name missing
    ["050410-4005", "Anden", "Kommune", "", "165", "", ""],  # 7 outside the forum
    [NEW_CPR, "Dobbelt", "Række", "", "183", "", ""],  # 8 CPR on row 3 too
    [HIDDEN_CPR, "Skjult", "Personsen", "", "183", "", ""],  # 9 someone else's
    ["", "Ingen", "Fødselsdato", "", "183", "", ""],  # 10 neither CPR nor birth
    ["", "Ukendt", "Kommune", "01-01-2010", "Atlantis", "", ""],  # 11 unknown
    ["", "", "", "", "", "", ""],  # 12 blank: skipped
]
FATES = [
    (2, "matched"),
    (3, "proposed"),
    (4, "proposed"),
    (5, "rejected"),
    (6, "rejected"),
    (7, "rejected"),
    (8, "rejected"),
    (9, "rejected"),
    (10, "rejected"),
    (11, "rejected"),
]
REASONS = {
    5: ["cpr"],
    6: ["given_name"],
    7: ["municipality"],
    8: ["cpr"],
    9: ["cpr"],
    10: ["cpr"],
    11: ["municipality"],
}


@pytest.fixture
def matched(personas, world) -> Person:
    return person_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        given_name="Kendt",
        family_name="Matchsen",
        cpr=MATCHED_CPR,
    )


@pytest.fixture
def hidden(personas, world) -> Person:
    """Registered by children & family services; Ishøj SSP does not see it."""
    return person_create(
        actor=personas.social,
        agency=world.social_ishoej,
        municipality=world.ishoej,
        given_name="Skjult",
        family_name="Personsen",
        cpr=HIDDEN_CPR,
    )


@pytest.fixture
def mixed(matched, hidden) -> bytes:
    return csv_file(ROWS)


def run(world, forum, *, actor, file, dry_run, kind=ListKind.YOUTH, **overrides):
    arguments = {
        "forum": forum.forum,
        "meeting": forum.meeting,
        "police_agency": world.police_vestegn,
        "filename": "liste.csv",
        **overrides,
    }
    with translation.override("en"):
        return policelist.police_list_import(
            actor=actor, kind=kind, file=file, dry_run=dry_run, **arguments
        )


def fates(report) -> list[tuple[int, str]]:
    return [(r.row, r.fate) for r in report.rows]


def stored() -> dict:
    return {
        "lists": PoliceList.objects.count(),
        "rows": PoliceListRow.objects.count(),
        "persons": Person.objects.count(),
        "items": AgendaItem.objects.count(),
        "grants": AuditEntry.objects.filter(action=Action.GRANT).count(),
        "creates": AuditEntry.objects.filter(action=Action.CREATE).count(),
    }


# --- The service --------------------------------------------------------------


def test_dry_run_reports_every_row_and_saves_nothing(
    ssp_forum, mixed, matched, personas, world
):
    before = stored()
    report = run(world, ssp_forum, actor=personas.ssp, file=mixed, dry_run=True)
    assert report.dry_run and report.police_list is None
    assert fates(report) == FATES
    assert (report.matched, report.proposed, report.rejected) == (1, 2, 7)
    assert stored() == before
    # One search entry naming the matched person; no CPR number, no name.
    entry = AuditEntry.objects.filter(action=Action.SEARCH).latest("pk")
    assert entry.object_type == "meetings.policelist"
    assert {s.person_id for s in entry.subjects.all()} == {matched.pk}
    assert "0104" not in entry.criterion and "Matchsen" not in entry.criterion


def test_every_rejection_reason_is_reported_per_field(
    ssp_forum, mixed, personas, world
):
    report = run(world, ssp_forum, actor=personas.ssp, file=mixed, dry_run=True)
    rows = {r.row: r for r in report.rows}
    assert {n: list(r.errors) for n, r in rows.items() if r.errors} == REASONS
    with translation.override("en"):
        assert rows[5].errors["cpr"] == [str(CPR_MESSAGES["date"])]
    assert rows[7].errors["municipality"] == [
        "The municipality is not one of the forum's municipalities."
    ]
    assert rows[8].errors["cpr"] == ["This CPR number is also on row 3 of the file."]
    # Someone else's person: the words of the person import, nothing about whom.
    with translation.override("en"):
        assert rows[9].errors["cpr"] == [str(CPR_MESSAGES["taken"])]
    assert rows[10].errors["cpr"] == ["Give the CPR number or the date of birth."]
    # A rejected row never echoes the CPR number.
    for row in rows.values():
        for messages in row.errors.values():
            assert not any("0410" in m for m in messages)


def test_csv_import_keeps_matched_and_proposed_rows_and_builds_the_agenda(
    ssp_forum, mixed, matched, personas, world
):
    report = run(world, ssp_forum, actor=personas.ssp, file=mixed, dry_run=False)
    assert fates(report) == FATES
    police_list = report.police_list
    assert police_list.rejected_rows == 7
    assert police_list.legal_basis == "RPL115_1_1_SSP"
    rows = {r.row_number: r for r in police_list.rows.all()}
    assert set(rows) == {2, 3, 4}  # rejected rows are not stored
    assert rows[2].fate == RowFate.MATCHED and rows[2].person == matched
    assert rows[2].cpr_encrypted == ""  # the person holds the number
    assert rows[2].encountered_on == date(2025, 1, 10)
    assert rows[3].fate == RowFate.PROPOSED and rows[3].person is None
    assert decrypt(rows[3].cpr_encrypted) == "0304104003"
    assert rows[3].date_of_birth == date(2010, 4, 3)
    assert rows[4].cpr_encrypted == "" and rows[4].date_of_birth == date(2010, 6, 5)
    # Matched rows go on the meeting's agenda at once (agenda_build).
    assert report.agenda_items >= 1
    rows[2].refresh_from_db()
    assert rows[2].item.person == matched
    assert rows[2].item.source == ItemSource.POLICE_LIST
    assert rows[2].item.agency == world.police_vestegn
    # Grants: the running SSP unit in full, the police agency reads, nobody else.
    assert can(personas.ssp, police_list, CHANGE)
    assert can(personas.police, police_list, VIEW)
    assert not can(personas.police, police_list, CHANGE)
    assert not can(personas.social, police_list, VIEW)
    assert not can(personas.ssp_albertslund, police_list, VIEW)
    entry = AuditEntry.objects.get(
        action=Action.CREATE, object_type="meetings.policelist"
    )
    assert {s.person_id for s in entry.subjects.all()} == {matched.pk}


def test_xlsx_adult_screening_list_reads_the_flags(ssp_forum, matched, personas, world):
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "cpr",
            "given_name",
            "family_name",
            "municipality",
            "encountered_on",
            "Kendt før 18",
            "with_gang_member",
            "Våben",
            "Vold",
            "narko",
            "medicin",
        ]
    )
    # Excel took the CPR number for a number and dropped its leading zero.
    sheet.append([104104001, "Kendt", "Matchsen", 183, date(2025, 2, 1), "ja", "x", 1])
    sheet.append(
        ["060401-4006", "Voksen", "Screenet", "Ishøj", None, "nej", "", 0, "yes"]
    )
    sheet.append(["070401-4007", "Måske", "Våbensen", "183", None, "", "", "måske"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(
        world,
        ssp_forum,
        actor=personas.ssp,
        file=buffer.getvalue(),
        dry_run=False,
        kind=ListKind.ADULT_SCREENING,
        filename="liste.xlsx",
    )
    assert fates(report) == [(2, "matched"), (3, "proposed"), (4, "rejected")]
    assert list(report.rows[2].errors) == ["weapon"]
    rows = {r.row_number: r for r in report.police_list.rows.all()}
    first, second = rows[2], rows[3]
    assert (first.known_before_18, first.with_gang_member, first.weapon) == (
        True,
        True,
        True,
    )
    assert not (first.violence or first.drugs or first.medicine)
    assert first.encountered_on == date(2025, 2, 1)
    assert second.violence and not (second.known_before_18 or second.weapon)
    assert second.date_of_birth == date(2001, 4, 6)


def test_screening_columns_are_ignored_on_the_youth_list(ssp_forum, personas, world):
    file = csv_file(
        [["Ung", "Ungsen", "2011-01-01", "183", "ja"]],
        header=["fornavn", "efternavn", "fødselsdato", "kommune", "våben"],
    )
    report = run(world, ssp_forum, actor=personas.ssp, file=file, dry_run=False)
    assert report.ignored_columns == ["våben"]
    assert not report.police_list.rows.get().weapon


def test_a_failure_while_writing_never_half_applies(
    ssp_forum, mixed, personas, world, monkeypatch
):
    before = stored()

    def fail(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(policelist.agenda, "agenda_build", fail)
    with pytest.raises(RuntimeError):
        run(world, ssp_forum, actor=personas.ssp, file=mixed, dry_run=False)
    assert stored() == before


def test_a_file_without_cpr_or_birth_date_column_is_refused(ssp_forum, personas, world):
    file = csv_file([["A", "B", "183"]], header=["fornavn", "efternavn", "kommune"])
    with pytest.raises(policelist.ImportFileError) as refused:
        run(world, ssp_forum, actor=personas.ssp, file=file, dry_run=True)
    assert list(refused.value.message_dict) == ["file"]


def test_meeting_and_police_agency_are_checked(ssp_forum, mixed, personas, world):
    with pytest.raises(ValidationError) as refused:
        run(
            world,
            ssp_forum,
            actor=personas.ssp,
            file=mixed,
            dry_run=True,
            police_agency=world.police_nordsjaelland,  # not a member
        )
    assert list(refused.value.message_dict) == ["police_agency"]
    services.meeting_cancel(
        actor=personas.ssp, meeting=ssp_forum.meeting, reason="Helligdag"
    )
    with pytest.raises(ValidationError) as refused:
        run(world, ssp_forum, actor=personas.ssp, file=mixed, dry_run=True)
    assert list(refused.value.message_dict) == ["meeting"]


def test_only_who_may_change_the_forum_imports(ssp_forum, mixed, personas, world):
    with pytest.raises(PermissionDenied):
        run(world, ssp_forum, actor=personas.police, file=mixed, dry_run=True)


@pytest.fixture
def imported(ssp_forum, mixed, personas, world) -> PoliceList:
    return run(
        world, ssp_forum, actor=personas.ssp, file=mixed, dry_run=False
    ).police_list


def test_confirm_registers_the_person_and_the_next_agenda_build_adds_it(
    ssp_forum, imported, personas, world
):
    row = imported.rows.get(row_number=3)
    policelist.row_confirm(actor=personas.ssp, row=row)
    row.refresh_from_db()
    assert row.fate == RowFate.CONFIRMED and row.cpr_encrypted == ""
    person = row.person
    assert person.recorded_by == world.ssp_ishoej
    assert person.municipality == world.ishoej
    assert person.legal_basis == "RPL115_1_1_SSP"
    assert decrypt(person.cpr_encrypted) == "0304104003"
    assert row.item is None
    added = agenda.agenda_build(actor=personas.ssp, meeting=ssp_forum.meeting)
    row.refresh_from_db()
    assert row.item in added and row.item.person == person
    with pytest.raises(ValidationError):  # decided once
        policelist.row_confirm(actor=personas.ssp, row=row)


def test_dismiss_keeps_the_row_off_the_agenda(ssp_forum, imported, personas):
    row = imported.rows.get(row_number=3)
    policelist.row_dismiss(actor=personas.ssp, row=row)
    row.refresh_from_db()
    assert row.fate == RowFate.DISMISSED and row.cpr_encrypted == ""
    agenda.agenda_build(actor=personas.ssp, meeting=ssp_forum.meeting)
    row.refresh_from_db()
    assert row.item is None and row.person is None


# --- The pages ----------------------------------------------------------------


def page(forum) -> str:
    return reverse("meetings:list_import", args=[forum.forum.pk])


def form_data(forum, world, content: bytes, **extra) -> dict:
    return {
        "meeting": str(forum.meeting.pk),
        "kind": ListKind.YOUTH,
        "police_agency": str(world.police_vestegn.pk),
        "file": SimpleUploadedFile("liste.csv", content, content_type="text/csv"),
        **extra,
    }


def test_import_page_shows_the_form(ssp_forum, personas, client_for):
    response = client_for(personas.ssp).get(page(ssp_forum))
    assert response.status_code == 200
    assert b'name="file"' in response.content
    assert b'value="check"' in response.content


def test_a_participant_who_may_not_change_the_forum_gets_403(
    ssp_forum, mixed, personas, world, client_for
):
    client = client_for(personas.police)
    assert client.get(page(ssp_forum)).status_code == 403
    response = client.post(page(ssp_forum), form_data(ssp_forum, world, mixed))
    assert response.status_code == 403
    assert PoliceList.objects.count() == 0


def test_another_municipality_gets_404(ssp_forum, mixed, personas, world, client_for):
    client = client_for(personas.ssp_albertslund)
    assert client.get(page(ssp_forum)).status_code == 404
    response = client.post(page(ssp_forum), form_data(ssp_forum, world, mixed))
    assert response.status_code == 404


def test_check_then_import_with_the_same_file(
    ssp_forum, mixed, personas, world, client_for
):
    client = client_for(personas.ssp)
    checked = client.post(
        page(ssp_forum), form_data(ssp_forum, world, mixed, action="check")
    )
    assert checked.status_code == 200
    report = checked.context["report"]
    assert report.dry_run and fates(report) == FATES
    assert b'data-field="given_name"' in checked.content
    assert PoliceList.objects.count() == 0
    fingerprint = checked.context["form"].initial["fingerprint"]
    assert fingerprint and fingerprint.encode() in checked.content
    assert b"0104104001" not in checked.content
    done = client.post(
        page(ssp_forum),
        form_data(ssp_forum, world, mixed, action="import", fingerprint=fingerprint),
    )
    assert done.status_code == 200
    assert not done.context["report"].dry_run
    assert PoliceList.objects.count() == 1
    # Nothing of the file stays in the session.
    assert not any("policelist" in key for key in client.session.keys())


def test_import_of_another_file_only_checks_it(
    ssp_forum, mixed, personas, world, client_for
):
    client = client_for(personas.ssp)
    response = client.post(
        page(ssp_forum),
        form_data(ssp_forum, world, mixed, action="import", fingerprint="not-it"),
    )
    assert response.status_code == 200
    assert response.context["report"].dry_run and response.context["notice"]
    assert PoliceList.objects.count() == 0


def test_bad_form_input_gets_field_errors(ssp_forum, personas, world, client_for):
    client = client_for(personas.ssp)
    response = client.post(
        page(ssp_forum),
        form_data(
            ssp_forum,
            world,
            csv_file([["x"]], header=["fornavn"]),
            police_agency=str(world.police_nordsjaelland.pk),
        ),
    )
    assert response.status_code == 400
    assert "police_agency" in response.context["form"].errors
    assert b'aria-invalid="true"' in response.content


def test_list_page_for_the_coordinator_and_the_police(imported, personas, client_for):
    url = reverse("meetings:list", args=[imported.pk])
    coordinator = client_for(personas.ssp).get(url)
    assert coordinator.status_code == 200
    assert len(coordinator.context["rows"]) == 3
    assert b"row_decide" not in coordinator.content  # urls, not names
    assert (
        reverse(
            "meetings:row_decide",
            args=[imported.rows.get(row_number=3).pk, "confirm"],
        ).encode()
        in coordinator.content
    )
    police = client_for(personas.police).get(url)
    assert police.status_code == 200
    assert b"/confirm/" not in police.content  # the police do not decide


@pytest.mark.parametrize(
    "outsider", ["social", "ssp_albertslund", "police_other_district"]
)
def test_outsiders_do_not_see_the_list(imported, personas, client_for, outsider):
    client = client_for(getattr(personas, outsider))
    assert client.get(reverse("meetings:list", args=[imported.pk])).status_code == 404
    row = imported.rows.get(row_number=3)
    url = reverse("meetings:row_decide", args=[row.pk, "confirm"])
    assert client.post(url).status_code == 404
    row.refresh_from_db()
    assert row.fate == RowFate.PROPOSED


def test_list_page_query_count_does_not_grow(
    ssp_forum, personas, world, client_for, django_assert_max_num_queries
):
    def import_rows(count):
        rows = [
            ["", f"Ung{i}", "Ungsen", "2011-01-01", "183", "", ""] for i in range(count)
        ]
        return run(
            world, ssp_forum, actor=personas.ssp, file=csv_file(rows), dry_run=False
        ).police_list

    small, large = import_rows(2), import_rows(30)
    client = client_for(personas.ssp)
    client.get(reverse("meetings:list", args=[small.pk]))  # warm the session
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("meetings:list", args=[small.pk]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("meetings:list", args=[large.pk]))
    assert len(response.context["rows"]) == 30


def test_row_decide_confirm_and_dismiss(imported, personas, client_for):
    client = client_for(personas.ssp)
    confirm = imported.rows.get(row_number=3)
    dismiss = imported.rows.get(row_number=4)
    response = client.post(reverse("meetings:row_decide", args=[confirm.pk, "confirm"]))
    assert response.status_code == 302
    response = client.post(
        reverse("meetings:row_decide", args=[dismiss.pk, "dismiss"]),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.templates[0].name == "meetings/partials/_list_row.html"
    confirm.refresh_from_db()
    dismiss.refresh_from_db()
    assert confirm.fate == RowFate.CONFIRMED and confirm.person is not None
    assert dismiss.fate == RowFate.DISMISSED
    # Decided once: the second try is a message, not a change.
    again = client.post(reverse("meetings:row_decide", args=[dismiss.pk, "confirm"]))
    assert again.status_code == 400
    assert (
        client.get(
            reverse("meetings:row_decide", args=[dismiss.pk, "confirm"])
        ).status_code
        == 405
    )
    assert (
        client.post(
            reverse("meetings:row_decide", args=[dismiss.pk, "approve"])
        ).status_code
        == 404
    )


def test_the_police_may_not_decide_rows(imported, personas, client_for):
    row = imported.rows.get(row_number=3)
    response = client_for(personas.police).post(
        reverse("meetings:row_decide", args=[row.pk, "confirm"])
    )
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.fate == RowFate.PROPOSED


# --- The API ------------------------------------------------------------------


def api(forum, query="") -> str:
    return f"/api/v1/forums/{forum.forum.pk}/police-lists/import/{query}"


@pytest.mark.urls(__name__)
def test_api_dry_run_then_import(
    ssp_forum, mixed, matched, personas, world, client_for
):
    client = client_for(personas.ssp)
    before = stored()
    response = client.post(
        api(ssp_forum),
        form_data(ssp_forum, world, mixed),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dry_run"] is True and body["police_list"] is None
    assert [(r["row"], r["fate"]) for r in body["rows"]] == FATES
    assert (body["matched"], body["proposed"], body["rejected"]) == (1, 2, 7)
    assert body["rows"][0]["person"] == str(matched.pk)
    assert list(body["rows"][3]["errors"]) == ["cpr"]
    assert stored() == before
    response = client.post(
        api(ssp_forum, "?dry_run=false"), form_data(ssp_forum, world, mixed)
    )
    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] is False
    assert PoliceList.objects.get().pk.hex == body["police_list"].replace("-", "")


@pytest.mark.urls(__name__)
def test_api_refuses_outsiders_and_bad_input(
    ssp_forum, mixed, personas, world, client_for
):
    data = form_data(ssp_forum, world, mixed)
    police = client_for(personas.police).post(api(ssp_forum), data)
    assert police.status_code == 403
    other = client_for(personas.ssp_albertslund).post(
        api(ssp_forum), form_data(ssp_forum, world, mixed)
    )
    assert other.status_code == 404
    bad = client_for(personas.ssp).post(
        api(ssp_forum),
        form_data(ssp_forum, world, mixed, meeting=str(ssp_forum.forum.pk)),
    )
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["meeting"]


def test_the_demo_list_has_valid_rows_and_one_rejection(ssp_forum, personas, world):
    """docs/demo/politiliste-ishoej.csv, the sample a newcomer imports (point 10)."""
    from django.conf import settings

    content = (settings.BASE_DIR / "docs/demo/politiliste-ishoej.csv").read_bytes()
    report = run(world, ssp_forum, actor=personas.ssp, file=content, dry_run=True)
    # Without the demo persons every valid row is new (in the demo, Sara matches).
    assert (report.proposed, report.rejected) == (8, 1)
    assert [list(r.errors) for r in report.rows if r.errors] == [["cpr"]]
