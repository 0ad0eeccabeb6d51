"""Import a list of young people from CSV or XLSX (issue 3, point 8).

`import_persons` reads the file, then decides every row in one transaction, each
row in its own savepoint: a rejected row leaves nothing behind. A dry run runs the
very same code and rolls the whole transaction back, so its report is exactly what
the real import would do. The columns are documented in docs/importing.md.

Row outcomes:

* create: the row is valid and becomes a new person through services.person_create
  (which audits and grants the importing agency view, change and export);
* match: its CPR number belongs to a person the user may already see; nothing
  changes;
* reject: a field is missing or invalid, the CPR number appears earlier in the
  file, or it belongs to a person the user may not see ("already registered",
  nothing more: no hint of who or where).

Audited as one entry for the whole import (a search for a dry run, a create for a
real one) naming the persons it showed or created; never CPR numbers or names.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.permissions import can
from audit.models import Action
from audit.services import audit_record
from core.cpr import CprError, parse_cpr
from organisations.models import Agency, Municipality

from . import services
from .models import Person

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

CREATE = "create"
MATCH = "match"
REJECT = "reject"
OUTCOMES = (CREATE, MATCH, REJECT)
OUTCOME_LABELS = {
    CREATE: gettext_lazy("Create"),
    MATCH: gettext_lazy("Already registered"),
    REJECT: gettext_lazy("Rejected"),
}

REQUIRED = ("given_name", "family_name", "municipality")


@dataclass(frozen=True)
class Column:
    name: str  # the field, also the English header
    danish: str  # the Danish header
    label: Any  # lazy, for messages and the page
    format: Any  # lazy, for the page and docs
    required: bool = False


COLUMNS = (
    Column("given_name", "fornavn", gettext_lazy("Given name"), "", True),
    Column("family_name", "efternavn", gettext_lazy("Family name"), "", True),
    Column(
        "cpr",
        "cpr-nummer",
        gettext_lazy("CPR number"),
        gettext_lazy("ddmmyy-xxxx or ten digits"),
    ),
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
        gettext_lazy("Municipality code (e.g. 183) or name"),
        True,
    ),
    Column("school", "skole", gettext_lazy("School or education"), ""),
    Column("address", "adresse", gettext_lazy("Address"), ""),
    Column(
        "address_protected",
        "adressebeskyttelse",
        gettext_lazy("Address protection"),
        gettext_lazy("ja/nej, yes/no, 1/0 or empty (no)"),
    ),
    Column("phone", "telefon", gettext_lazy("Phone"), ""),
    Column("email", "e-mail", gettext_lazy("E-mail"), ""),
)


def _normalise_header(text: str) -> str:
    return re.sub(r"[\s_\-]+", "_", text.strip().lstrip("\ufeff").casefold())


HEADER_ALIASES = {
    _normalise_header(alias): column.name
    for column in COLUMNS
    for alias in (column.name, column.danish)
} | {
    "cpr_number": "cpr",
    "cpr_nr": "cpr",
    "cprnr": "cpr",
    "cprnummer": "cpr",
    "email": "email",
    "mail": "email",
    "tlf": "phone",
    "kommunekode": "municipality",
}

_TRUE = {"ja", "yes", "1", "true", "sand", "x"}
_FALSE = {"nej", "no", "0", "false", "falsk", ""}
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


class ImportFileError(ValidationError):
    """The whole file is refused (unreadable, too large, a required column missing);
    `message_dict` has the messages under "file"."""

    def __init__(self, message: str) -> None:
        super().__init__({"file": [message]})


@dataclass
class RowResult:
    row: int  # as numbered in the spreadsheet: the header is row 1
    outcome: str
    person: Person | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    # As written in the file, so the user can recognise the row; never logged.
    name: str = ""

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome])

    @property
    def error_items(self) -> list[tuple[str, str]]:
        """(column label, message) pairs for the page."""
        labels = {c.name: c.label for c in COLUMNS}
        return [
            (str(labels.get(name, "")), message)
            for name, messages in self.errors.items()
            for message in messages
        ]


@dataclass
class ImportReport:
    dry_run: bool
    rows: list[RowResult]
    ignored_columns: list[str] = field(default_factory=list)

    def _count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def created(self) -> int:
        return self._count(CREATE)

    @property
    def matched(self) -> int:
        return self._count(MATCH)

    @property
    def rejected(self) -> int:
        return self._count(REJECT)


# --- Reading the file -------------------------------------------------------------


@dataclass
class _Sheet:
    header: list[str]  # field names, "" for an ignored column
    ignored: list[str]
    rows: list[tuple[int, dict[str, Any]]]  # (row number, {field: cell})


def _read_bytes(file: IO[bytes] | bytes) -> bytes:
    if isinstance(file, bytes):
        content = file
    else:
        size = getattr(file, "size", None)
        if size is not None and size > MAX_BYTES:
            raise ImportFileError(too_large_message())
        content = file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ImportFileError(too_large_message())
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    return content


def too_large_message() -> str:
    return _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // 2**20}


def _csv_records(content: bytes) -> Iterator[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Danish Excel saves "CSV (semikolonsepareret)" in Windows-1252.
        text = content.decode("cp1252", errors="replace")
    first_line = text.lstrip().split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise ImportFileError(_("The file could not be read as CSV.")) from exc


def _xlsx_records(content: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    unreadable = _("The file could not be read as XLSX.")
    # openpyxl raises many kinds of errors for a damaged or foreign file; any of
    # them means the same to the user.
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001
        raise ImportFileError(unreadable) from exc
    try:
        if not book.worksheets:
            raise ImportFileError(_("The file has no sheets."))
        rows = book.worksheets[0].iter_rows(values_only=True)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # noqa: BLE001
                raise ImportFileError(unreadable) from exc
            yield list(values)
    finally:
        book.close()


def _is_blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _read_sheet(content: bytes, filename: str) -> _Sheet:
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
            header, ignored = _header(values)
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
    return _Sheet(header=header, ignored=ignored, rows=rows)


def _header(values: list[Any]) -> tuple[list[str], list[str]]:
    names: list[str] = []
    ignored: list[str] = []
    for value in values:
        text = "" if value is None else str(value)
        name = HEADER_ALIASES.get(_normalise_header(text), "")
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
    return names, ignored


# --- Cleaning one row -------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _clean_cpr(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A spreadsheet that took the number for a number dropped its leading zero.
        return f"{int(value):010d}"
    return _text(value)


def _clean_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise ValueError(text)


def _clean_flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(text)


@dataclass
class _Clean:
    fields: dict[str, Any]
    cpr_digits: str
    errors: dict[str, list[str]]


def _clean_row(
    cells: dict[str, Any], municipalities: dict[str, Municipality]
) -> _Clean:
    errors: dict[str, list[str]] = {}
    fields: dict[str, Any] = {}

    def fail(name: str, message: Any) -> None:
        errors.setdefault(name, []).append(str(message))

    for name in ("given_name", "family_name"):
        fields[name] = _text(cells.get(name))
        if not fields[name]:
            fail(name, _("This field is required."))
    municipality_text = _text(cells.get("municipality"))
    if not municipality_text:
        fail("municipality", _("This field is required."))
    else:
        found = municipalities.get(municipality_text.casefold())
        if found is None:
            fail("municipality", _("No municipality has this code or name."))
        fields["municipality"] = found
    cpr_digits = ""
    cpr_text = _clean_cpr(cells.get("cpr"))
    if cpr_text:
        try:
            cpr_digits = parse_cpr(cpr_text).digits
        except CprError as exc:
            fail("cpr", services.CPR_MESSAGES[exc.code])
        fields["cpr"] = cpr_text
    try:
        fields["date_of_birth"] = _clean_date(cells.get("date_of_birth"))
    except ValueError:
        fail("date_of_birth", _("Write the date as YYYY-MM-DD or DD-MM-YYYY."))
    try:
        fields["address_protected"] = _clean_flag(cells.get("address_protected"))
    except ValueError:
        fail("address_protected", _("Write ja or nej (yes or no)."))
    for name in ("school", "address", "phone", "email"):
        fields[name] = _text(cells.get(name))
    return _Clean(fields=fields, cpr_digits=cpr_digits, errors=errors)


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    if not hasattr(exc, "error_dict"):
        return {"non_field_errors": [str(m) for m in exc.messages]}
    return {
        ("non_field_errors" if key == "__all__" else key): [str(m) for m in messages]
        for key, messages in exc.message_dict.items()
    }


# --- The import -------------------------------------------------------------------


class _DryRun(Exception):
    """Raised at the end of a dry run to roll its transaction back."""


def _decide_rows(
    *, actor, agency: Agency, sheet: _Sheet, dry_run: bool
) -> list[RowResult]:
    municipalities: dict[str, Municipality] = {}
    for m in Municipality.objects.all():
        municipalities[m.name.casefold()] = m
        municipalities[m.code.casefold()] = m
    first_row_of: dict[str, int] = {}
    results: list[RowResult] = []
    for number, cells in sheet.rows:
        clean = _clean_row(cells, municipalities)
        result = RowResult(
            row=number,
            outcome=REJECT,
            name=f"{clean.fields['given_name']} {clean.fields['family_name']}".strip(),
        )
        results.append(result)
        if clean.cpr_digits:
            if clean.cpr_digits in first_row_of:
                clean.errors.setdefault("cpr", []).append(
                    _("This CPR number is also on row %(row)s of the file.")
                    % {"row": first_row_of[clean.cpr_digits]}
                )
            else:
                first_row_of[clean.cpr_digits] = number
        if clean.errors:
            result.errors = clean.errors
            continue
        if clean.cpr_digits:
            existing = services.person_find_by_cpr(clean.cpr_digits)
            if existing is not None:
                if can(actor, existing):
                    result.outcome, result.person = MATCH, existing
                else:
                    # Someone else's record: the same words as for any taken number.
                    result.errors = {"cpr": [str(services.CPR_MESSAGES["taken"])]}
                continue
        try:
            with transaction.atomic():
                person = services.person_create(
                    actor=actor, agency=agency, **clean.fields
                )
        except ValidationError as exc:
            result.errors = _messages(exc)
            continue
        result.outcome = CREATE
        result.person = None if dry_run else person
    return results


def import_persons(
    *, actor, agency: Agency, file: IO[bytes] | bytes, filename: str, dry_run: bool
) -> ImportReport:
    """Import the persons listed in `file` (CSV or XLSX) for `agency`.

    Raises ImportFileError (a ValidationError under "file") when the file as a whole
    is refused; otherwise reports every non-blank row. With `dry_run` nothing is
    saved but the audit entry of the search. Callers check
    `can_record_cases(actor, agency)`; person_create checks it again.
    """
    sheet = _read_sheet(_read_bytes(file), filename)
    results: list[RowResult] = []
    try:
        with transaction.atomic():
            results = _decide_rows(
                actor=actor, agency=agency, sheet=sheet, dry_run=dry_run
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    report = ImportReport(dry_run=dry_run, rows=results, ignored_columns=sheet.ignored)
    shown = [r.person.pk for r in results if r.person is not None]
    audit_record(
        user=actor,
        action=Action.SEARCH if dry_run else Action.CREATE,
        object_type="cases.person_import",
        subjects=shown,
        criterion=(
            f"person import{' dry run' if dry_run else ''}: {report.created} "
            f"{'to create' if dry_run else 'created'}, {report.matched} matched, "
            f"{report.rejected} rejected"
        ),
    )
    return report
