"""Importing a police list for a forum (issue 5, point 3; docs/police-list.md).

The police bring a list to the SSP forum: the young people they encountered together
with known gang members or charged or registered (the "ungeliste" /
"bandeindikationsliste"), or, for SSP+, persons 18+ with the screening factors of
DOMAIN.md. Police disclose it under Retsplejeloven §115 stk. 1 nr. 1 (R-115-1).

`police_list_import` reads the file (CSV or XLSX, with the readers of
cases.importing), decides every row and then writes the list and its accepted rows in
one transaction. A dry run runs the very same code and rolls the transaction back, so
its report is what the import will do. Each row is

* matched: its CPR number belongs to a person the importing user may see;
* proposed: valid, with no CPR number or one not registered: kept (CPR encrypted)
  as a proposed new person for the coordinator to confirm (`row_confirm`) or
  dismiss (`row_dismiss`);
* rejected: reported with a message per field and not stored; only the count is kept
  (`PoliceList.rejected_rows`). A CPR number registered to a person the user may not
  see is rejected with the words of any taken number: no hint of who or where.

Rejected rows are decided before anything is written, and anything that fails while
writing rolls the whole import back: an import never half-applies.

After a real import the meeting's agenda is rebuilt (`agenda.agenda_build`) in the
same transaction, so matched rows are on the agenda at once; the meeting must be
open for agenda anyway (planned or agenda sent), or the import is refused.

Audited as one entry for the import (a search for a dry run, a create for a real
one) naming the matched persons; never CPR numbers or names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.legal import LegalBasis
from access.permissions import CHANGE, EXPORT, VIEW, can, visible
from access.services import access_grant
from audit.models import Action
from audit.services import audit_record
from cases import services as case_services
from cases.importing import (  # the file readers are shared with the person import
    MAX_BYTES,
    MAX_ROWS,
    ImportFileError,
    _clean_cpr,
    _clean_date,
    _clean_flag,
    _csv_records,
    _is_blank,
    _normalise_header,
    _read_bytes,
    _text,
    _xlsx_records,
    too_large_message,
)
from cases.models import Person
from core.cpr import CprError, parse_cpr
from core.crypto import decrypt, encrypt, keyed_hash
from organisations.models import Agency, AgencyKind, Municipality

from . import agenda, selectors
from .models import Forum, ListKind, Meeting, PoliceList, PoliceListRow, RowFate

__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "MAX_ROWS",
    "REJECTED",
    "ImportFileError",
    "ImportReport",
    "RowResult",
    "file_fingerprint",
    "police_list_import",
    "row_confirm",
    "row_dismiss",
    "too_large_message",
]

MATCHED = RowFate.MATCHED.value
PROPOSED = RowFate.PROPOSED.value
REJECTED = "rejected"
FATES = (MATCHED, PROPOSED, REJECTED)
FATE_LABELS = {
    MATCHED: gettext_lazy("Matched"),
    PROPOSED: gettext_lazy("New person proposed"),
    REJECTED: gettext_lazy("Rejected"),
}

NAME_MAX = 100
DESCRIPTION_MAX = 2000


@dataclass(frozen=True)
class Column:
    name: str  # the field, also the English header
    danish: str  # the Danish header
    label: Any  # lazy, for messages and the page
    format: Any = ""
    required: bool = False
    screening: bool = False  # read for the adult screening list only


_FLAG_FORMAT = gettext_lazy("ja/nej, yes/no, x, 1/0 or empty (no)")

COLUMNS = (
    Column(
        "cpr",
        "cpr-nummer",
        gettext_lazy("CPR number"),
        gettext_lazy(
            "ddmmyy-xxxx or ten digits; optional if the date of birth is given"
        ),
    ),
    Column("given_name", "fornavn", gettext_lazy("Given name"), "", True),
    Column("family_name", "efternavn", gettext_lazy("Family name"), "", True),
    Column(
        "date_of_birth",
        "fødselsdato",
        gettext_lazy("Date of birth"),
        gettext_lazy("YYYY-MM-DD, DD-MM-YYYY or DD.MM.YYYY"),
    ),
    Column(
        "municipality",
        "kommune",
        gettext_lazy("Municipality"),
        gettext_lazy("Code (e.g. 183) or name; one of the forum's municipalities"),
        True,
    ),
    Column(
        "encountered_on",
        "antruffet",
        gettext_lazy("Encountered on"),
        gettext_lazy("YYYY-MM-DD, DD-MM-YYYY or DD.MM.YYYY"),
    ),
    Column(
        "description",
        "beskrivelse",
        gettext_lazy("Description"),
        gettext_lazy("text, at most 2,000 characters"),
    ),
    Column(
        "known_before_18",
        "kendt-før-18",
        gettext_lazy("Known before 18"),
        _FLAG_FORMAT,
        screening=True,
    ),
    Column(
        "with_gang_member",
        "med-bandemedlem",
        gettext_lazy("With a registered gang member"),
        _FLAG_FORMAT,
        screening=True,
    ),
    Column("weapon", "våben", gettext_lazy("Weapon"), _FLAG_FORMAT, screening=True),
    Column("violence", "vold", gettext_lazy("Violence"), _FLAG_FORMAT, screening=True),
    Column("drugs", "narko", gettext_lazy("Drugs"), _FLAG_FORMAT, screening=True),
    Column(
        "medicine",
        "medicin",
        gettext_lazy("Medicine without prescription"),
        _FLAG_FORMAT,
        screening=True,
    ),
)
SCREENING = tuple(c.name for c in COLUMNS if c.screening)
_LABELS = {c.name: c.label for c in COLUMNS}

HEADER_ALIASES = {
    _normalise_header(alias): column.name
    for column in COLUMNS
    for alias in (column.name, column.danish)
} | {
    _normalise_header(alias): name
    for alias, name in (
        ("cpr-nr", "cpr"),
        ("cprnr", "cpr"),
        ("cprnummer", "cpr"),
        ("cpr_number", "cpr"),
        ("kommunekode", "municipality"),
        ("antruffet dato", "encountered_on"),
        ("dato", "encountered_on"),
        ("kendt foer 18", "known_before_18"),
        ("kendt før 18 år", "known_before_18"),
        ("bandemedlem", "with_gang_member"),
        ("vaaben", "weapon"),
        ("euforiserende stoffer", "drugs"),
        ("stoffer", "drugs"),
        ("medicin uden recept", "medicine"),
    )
}


# --- The report -------------------------------------------------------------------


@dataclass
class RowResult:
    row: int  # as numbered in the spreadsheet: the header is row 1
    fate: str = REJECTED
    person: Person | None = None  # the matched person
    errors: dict[str, list[str]] = field(default_factory=dict)
    # As written in the file, so the user recognises the row; never logged.
    name: str = ""

    @property
    def fate_label(self) -> str:
        return str(FATE_LABELS[self.fate])

    @property
    def error_items(self) -> list[tuple[str, str, str]]:
        """(field, column label, message) for the page."""
        return [
            (name, str(_LABELS.get(name, "")), message)
            for name, messages in self.errors.items()
            for message in messages
        ]


@dataclass
class ImportReport:
    dry_run: bool
    kind: str
    rows: list[RowResult]
    ignored_columns: list[str] = field(default_factory=list)
    police_list: PoliceList | None = None  # the list saved (None for a dry run)
    agenda_items: int = 0  # items the import put on the agenda
    fingerprint: str = ""  # see file_fingerprint

    def _count(self, fate: str) -> int:
        return sum(1 for r in self.rows if r.fate == fate)

    @property
    def matched(self) -> int:
        return self._count(MATCHED)

    @property
    def proposed(self) -> int:
        return self._count(PROPOSED)

    @property
    def rejected(self) -> int:
        return self._count(REJECTED)


def file_fingerprint(content: bytes) -> str:
    """A keyed digest of the file, so the page can tell whether the file chosen for
    the import is the one the dry run checked, without keeping the file."""
    return keyed_hash(hashlib.sha256(content).hexdigest())


# --- Reading the file -------------------------------------------------------------


@dataclass
class _Sheet:
    ignored: list[str]
    rows: list[tuple[int, dict[str, Any]]]  # (row number, {field: cell})


def _header(values: list[Any], kind: str) -> tuple[list[str], list[str]]:
    names: list[str] = []
    ignored: list[str] = []
    for value in values:
        text = "" if value is None else str(value)
        name = HEADER_ALIASES.get(_normalise_header(text), "")
        if name in SCREENING and kind != ListKind.ADULT_SCREENING:
            name = ""  # the screening factors belong to the SSP+ list only
        if name and name in names:
            raise ImportFileError(
                _("The column “%(column)s” appears more than once.") % {"column": text}
            )
        if not name and text.strip():
            ignored.append(text.strip()[:50])
        names.append(name)
    missing = [c for c in COLUMNS if c.required and c.name not in names]
    if missing:
        raise ImportFileError(
            _("Required columns are missing: %(columns)s.")
            % {"columns": ", ".join(f"{c.danish} ({c.name})" for c in missing)}
        )
    if "cpr" not in names and "date_of_birth" not in names:
        raise ImportFileError(
            _(
                "The file needs a column cpr-nummer (cpr) or fødselsdato "
                "(date_of_birth)."
            )
        )
    return names, ignored


def _read_sheet(content: bytes, filename: str, kind: str) -> _Sheet:
    is_zip = content[:4] == b"PK\x03\x04"
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx" or (is_zip and extension not in ("csv", "txt")):
        if not is_zip:
            raise ImportFileError(_("The file could not be read as XLSX."))
        records = _xlsx_records(content)
    elif extension in ("csv", "txt", ""):
        records = _csv_records(content)
    else:
        raise ImportFileError(_("Upload a CSV or XLSX file."))
    header: list[str] | None = None
    ignored: list[str] = []
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(records, start=1):
        if header is None:
            if _is_blank(values):
                raise ImportFileError(_("The first row must hold the column names."))
            header, ignored = _header(values, kind)
            continue
        if _is_blank(values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(rows)s rows. Split it into smaller files.")
                % {"rows": MAX_ROWS}
            )
        rows.append(
            (number, {name: v for name, v in zip(header, values, strict=False) if name})
        )
    if header is None:
        raise ImportFileError(_("The file is empty."))
    return _Sheet(ignored=ignored, rows=rows)


# --- Cleaning one row -------------------------------------------------------------


@dataclass
class _Clean:
    number: int
    fields: dict[str, Any]
    cpr_digits: str
    errors: dict[str, list[str]]
    result: RowResult


def _clean_row(
    number: int,
    cells: dict[str, Any],
    *,
    kind: str,
    known: dict[str, Municipality],
    forum_municipalities: set,
) -> _Clean:
    errors: dict[str, list[str]] = {}
    fields: dict[str, Any] = {}

    def fail(name: str, message: Any) -> None:
        errors.setdefault(name, []).append(str(message))

    for name in ("given_name", "family_name"):
        fields[name] = _text(cells.get(name))
        if not fields[name]:
            fail(name, _("This field is required."))
        elif len(fields[name]) > NAME_MAX:
            fail(name, _("At most %(max)s characters.") % {"max": NAME_MAX})
    municipality_text = _text(cells.get("municipality"))
    if not municipality_text:
        fail("municipality", _("This field is required."))
    else:
        found = known.get(municipality_text.casefold())
        if found is None:
            fail("municipality", _("No municipality has this code or name."))
        elif found.pk not in forum_municipalities:
            fail(
                "municipality",
                _("The municipality is not one of the forum's municipalities."),
            )
        fields["municipality"] = found
    cpr_digits = ""
    cpr_text = _clean_cpr(cells.get("cpr"))
    if cpr_text:
        try:
            cpr_digits = parse_cpr(cpr_text).digits
        except CprError as exc:
            fail("cpr", case_services.CPR_MESSAGES[exc.code])
    for name in ("date_of_birth", "encountered_on"):
        try:
            fields[name] = _clean_date(cells.get(name))
        except ValueError:
            fields[name] = None
            fail(name, _("Write the date as YYYY-MM-DD or DD-MM-YYYY."))
    born = fields["date_of_birth"]
    if cpr_digits:
        from_cpr = parse_cpr(cpr_digits).birth_date
        if born and born != from_cpr:
            fail("date_of_birth", case_services.CPR_MESSAGES["birth_date"])
        fields["date_of_birth"] = from_cpr
    elif not cpr_text and born is None and "date_of_birth" not in errors:
        fail("cpr", _("Give the CPR number or the date of birth."))
    today = timezone.localdate()
    if fields["date_of_birth"] and fields["date_of_birth"] > today:
        fail("date_of_birth", _("The date cannot be in the future."))
    if fields["encountered_on"] and fields["encountered_on"] > today:
        fail("encountered_on", _("The date cannot be in the future."))
    fields["description"] = _text(cells.get("description"))
    if len(fields["description"]) > DESCRIPTION_MAX:
        fail("description", _("At most %(max)s characters.") % {"max": DESCRIPTION_MAX})
    if kind == ListKind.ADULT_SCREENING:
        for name in SCREENING:
            try:
                fields[name] = _clean_flag(cells.get(name))
            except ValueError:
                fail(name, _("Write ja or nej (yes or no)."))
    result = RowResult(
        row=number,
        name=f"{fields['given_name']} {fields['family_name']}".strip(),
    )
    return _Clean(number, fields, cpr_digits, errors, result)


# --- The import -------------------------------------------------------------------


class _DryRun(Exception):
    """Raised at the end of a dry run to roll its transaction back."""


def _check(*, actor, forum: Forum, meeting: Meeting, kind: str, police_agency) -> None:
    if not can(actor, forum, CHANGE):
        # Callers fetch the forum for CHANGE (selectors.forum_for); fail closed anyway.
        raise PermissionDenied
    errors: dict[str, str] = {}
    if meeting is None or meeting.forum_id != forum.pk:
        errors["meeting"] = _("Choose a meeting of this forum.")
    elif not meeting.is_open_for_agenda:
        errors["meeting"] = _("The agenda of this meeting can no longer be changed.")
    if kind not in ListKind.values:
        errors["kind"] = _("Choose a list from the choices.")
    if (
        police_agency is None
        or police_agency.kind != AgencyKind.POLICE
        or not selectors.members_of(forum=forum).filter(agency=police_agency).exists()
    ):
        errors["police_agency"] = _(
            "Choose a police agency that is a member of the forum."
        )
    if errors:
        raise ValidationError(errors)


def _decide(*, actor, forum: Forum, kind: str, sheet: _Sheet) -> list[_Clean]:
    """Clean every row and decide its fate; reads only (three queries in all)."""
    known: dict[str, Municipality] = {}
    for m in Municipality.objects.all():
        known[m.name.casefold()] = m
        known[m.code.casefold()] = m
    forum_municipalities = set(forum.municipalities.values_list("pk", flat=True))
    cleaned = [
        _clean_row(
            number,
            cells,
            kind=kind,
            known=known,
            forum_municipalities=forum_municipalities,
        )
        for number, cells in sheet.rows
    ]
    first_row_of: dict[str, int] = {}
    for clean in cleaned:
        if not clean.cpr_digits:
            continue
        if clean.cpr_digits in first_row_of:
            clean.errors.setdefault("cpr", []).append(
                _("This CPR number is also on row %(row)s of the file.")
                % {"row": first_row_of[clean.cpr_digits]}
            )
        else:
            first_row_of[clean.cpr_digits] = clean.number
    # Registered persons, by keyed hash: one query for all, one for those the actor
    # may see (the permission core), never a query per row.
    hashes = {keyed_hash(c.cpr_digits): c for c in cleaned if c.cpr_digits}
    registered = {
        p.cpr_hash: p
        for p in Person.objects.filter(cpr_hash__in=list(hashes)).only(
            "pk", "cpr_hash", "given_name", "family_name"
        )
    }
    seen = (
        set(
            visible(actor, Person, audit=None)
            .filter(cpr_hash__in=list(registered))
            .values_list("pk", flat=True)
        )
        if registered
        else set()
    )
    for clean in cleaned:
        result = clean.result
        if clean.errors:
            result.errors = clean.errors
            continue
        person = (
            registered.get(keyed_hash(clean.cpr_digits)) if clean.cpr_digits else None
        )
        if person is None:
            result.fate = PROPOSED
        elif person.pk in seen:
            result.fate, result.person = MATCHED, person
        else:
            # Someone else's record: the same words as for any taken number.
            result.errors = {"cpr": [str(case_services.CPR_MESSAGES["taken"])]}
    return cleaned


def _write(
    *,
    actor,
    forum: Forum,
    meeting: Meeting,
    kind: str,
    police_agency: Agency,
    filename: str,
    cleaned: list[_Clean],
) -> PoliceList:
    rejected = sum(1 for c in cleaned if c.result.fate == REJECTED)
    police_list = PoliceList(
        forum=forum,
        meeting=meeting,
        kind=kind,
        police_agency=police_agency,
        legal_basis=LegalBasis.RPL115_1_1_SSP,
        file_name=filename[:200],
        rejected_rows=rejected,
        imported_by=actor,
    )
    police_list.full_clean()
    police_list.save()
    rows = []
    for clean in cleaned:
        fate = clean.result.fate
        if fate == REJECTED:
            continue
        row = PoliceListRow(
            police_list=police_list,
            row_number=clean.number,
            fate=fate,
            person=clean.result.person,
            cpr_encrypted=(
                encrypt(clean.cpr_digits)
                if fate == PROPOSED and clean.cpr_digits
                else ""
            ),
            **clean.fields,
        )
        # No queries: the foreign keys were read above.
        row.clean_fields(exclude=["police_list", "person", "municipality", "item"])
        rows.append(row)
    PoliceListRow.objects.bulk_create(rows)
    access_grant(
        actor=actor,
        obj=police_list,
        agency=forum.agency,
        actions=[VIEW, CHANGE, EXPORT],
        legal_basis=LegalBasis.RPL115_1_1_SSP,
        reason="agency running the forum",
    )
    access_grant(
        actor=actor,
        obj=police_list,
        agency=police_agency,
        actions=[VIEW],
        legal_basis=LegalBasis.RPL115_1_1_SSP,
        reason="police agency that brought the list",
    )
    return police_list


def police_list_import(
    *,
    actor,
    forum: Forum,
    meeting: Meeting,
    kind: str,
    police_agency: Agency,
    file: IO[bytes] | bytes,
    filename: str = "",
    dry_run: bool,
) -> ImportReport:
    """Import the police list in `file` for `meeting` of `forum`.

    The caller has fetched the forum for CHANGE (selectors.forum_for); the service
    checks it again (PermissionDenied). Refused with field-level ValidationError
    when the meeting is not the forum's or no longer open for agenda, the kind is
    unknown, or the police agency is not a police member of the forum; with
    ImportFileError (under "file") when the file as a whole cannot be read.
    Otherwise every non-blank row is reported. With `dry_run` nothing is saved but
    the audit entry of the search.
    """
    _check(
        actor=actor,
        forum=forum,
        meeting=meeting,
        kind=kind,
        police_agency=police_agency,
    )
    filename = filename or getattr(file, "name", "") or "list.csv"
    content = _read_bytes(file)
    sheet = _read_sheet(content, filename, kind)
    report = ImportReport(
        dry_run=dry_run,
        kind=kind,
        rows=[],
        ignored_columns=sheet.ignored,
        fingerprint=file_fingerprint(content),
    )
    try:
        with transaction.atomic():
            cleaned = _decide(actor=actor, forum=forum, kind=kind, sheet=sheet)
            report.rows = [c.result for c in cleaned]
            police_list = _write(
                actor=actor,
                forum=forum,
                meeting=meeting,
                kind=kind,
                police_agency=police_agency,
                filename=filename,
                cleaned=cleaned,
            )
            if dry_run:
                raise _DryRun
            report.police_list = police_list
            report.agenda_items = len(agenda.agenda_build(actor=actor, meeting=meeting))
            _audit(actor=actor, report=report)
    except _DryRun:
        _audit(actor=actor, report=report)
    return report


def _audit(*, actor, report: ImportReport) -> None:
    audit_record(
        user=actor,
        action=Action.SEARCH if report.dry_run else Action.CREATE,
        obj=report.police_list,
        object_type="" if report.police_list else "meetings.policelist",
        subjects=[r.person.pk for r in report.rows if r.person is not None],
        criterion=(
            f"police list import{' dry run' if report.dry_run else ''} "
            f"({report.kind}): {report.matched} matched, {report.proposed} proposed, "
            f"{report.rejected} rejected"
        ),
    )


# --- Deciding on proposed rows ----------------------------------------------------


def _require_proposed(row: PoliceListRow) -> None:
    if row.fate != RowFate.PROPOSED:
        raise ValidationError(_("This row has already been decided."))


@transaction.atomic
def row_confirm(*, actor, row: PoliceListRow) -> PoliceListRow:
    """The coordinator confirms a proposed row: the person is registered for the
    forum's running agency under §115 stk. 1 nr. 1 (cases.services.person_create,
    which audits and grants) and the row is confirmed, for the next agenda build.

    If the CPR number has been registered meanwhile to a person the user may see,
    the row is matched to that person instead; to anyone else's, refused with the
    words of any taken number. Callers fetch the row's list for CHANGE."""
    _require_proposed(row)
    police_list = row.police_list
    if not can(actor, police_list, CHANGE):
        raise PermissionDenied
    cpr = decrypt(row.cpr_encrypted) if row.cpr_encrypted else ""
    existing = case_services.person_find_by_cpr(cpr) if cpr else None
    if existing is not None and can(actor, existing):
        row.person, row.fate = existing, RowFate.MATCHED
    else:
        row.person = case_services.person_create(
            actor=actor,
            agency=police_list.forum.agency,
            municipality=row.municipality,
            given_name=row.given_name,
            family_name=row.family_name,
            date_of_birth=row.date_of_birth,
            cpr=cpr,
            legal_basis=LegalBasis.RPL115_1_1_SSP,
        )
        row.fate = RowFate.CONFIRMED
    # The person now holds the number; the row need not keep it.
    row.cpr_encrypted = ""
    row.save(update_fields=["person", "fate", "cpr_encrypted"])
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=row,
        subjects=[row.person_id],
        changed_fields=["fate", "person"],
    )
    return row


@transaction.atomic
def row_dismiss(*, actor, row: PoliceListRow) -> PoliceListRow:
    """The coordinator dismisses a proposed row: nobody is registered and it stays
    off the agenda. Callers fetch the row's list for CHANGE."""
    _require_proposed(row)
    if not can(actor, row.police_list, CHANGE):
        raise PermissionDenied
    row.fate = RowFate.DISMISSED
    row.cpr_encrypted = ""  # not needed any more (data minimisation)
    row.save(update_fields=["fate", "cpr_encrypted"])
    audit_record(user=actor, action=Action.CHANGE, obj=row, changed_fields=["fate"])
    return row
