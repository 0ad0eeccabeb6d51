"""The import page: upload → dry run report → confirm → real import.

Between the dry run and the confirmation the file travels encrypted in the session
(never in a URL or a hidden field), under one key that the import removes."""

from __future__ import annotations

import base64
import json
import secrets

from cryptography.fernet import InvalidToken
from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from access.permissions import can_record_cases, require
from core.crypto import decrypt, encrypt
from organisations.selectors import acting_membership

from . import importing

SESSION_KEY = "tvaers_person_import"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File with young people"),
        help_text=gettext_lazy("CSV or XLSX, at most 2 MB and 5,000 rows."),
    )


def _render(request, *, form=None, report=None, token="", error="", status=200):
    return render(
        request,
        "cases/person_import.html",
        {
            "form": form or ImportUploadForm(),
            "report": report,
            "token": token,
            "error": error,
            "columns": importing.COLUMNS,
            "max_rows": importing.MAX_ROWS,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def person_import(request):
    membership = acting_membership(user=request.user, session=request.session)
    require(
        membership is not None and can_record_cases(request.user, membership.agency)
    )
    if request.method == "GET":
        return _render(request)
    if "confirm" in request.POST:
        return _confirm(request, membership.agency)
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form=form, status=400)
    upload = form.cleaned_data["file"]
    request.session.pop(SESSION_KEY, None)
    try:
        if upload.size > importing.MAX_BYTES:
            raise importing.ImportFileError(importing.too_large_message())
        content = upload.read()
        report = importing.import_persons(
            actor=request.user,
            agency=membership.agency,
            file=content,
            filename=upload.name,
            dry_run=True,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render(request, form=form, status=400)
    token = ""
    if report.created:
        token = secrets.token_urlsafe(16)
        request.session[SESSION_KEY] = encrypt(
            json.dumps(
                {
                    "token": token,
                    "filename": upload.name,
                    "content": base64.b64encode(content).decode(),
                }
            )
        )
    return _render(request, report=report, token=token)


def _confirm(request, agency):
    stored = request.session.pop(SESSION_KEY, None)
    try:
        upload = json.loads(decrypt(stored)) if stored else None
    except (InvalidToken, ValueError):
        upload = None
    if not upload or not secrets.compare_digest(
        upload["token"], request.POST.get("token", "")
    ):
        return _render(
            request,
            error=_("The uploaded file has expired. Upload it again."),
            status=400,
        )
    try:
        report = importing.import_persons(
            actor=request.user,
            agency=agency,
            file=base64.b64decode(upload["content"]),
            filename=upload["filename"],
            dry_run=False,
        )
    except ValidationError as exc:
        form = ImportUploadForm()
        form.add_error(None, exc)
        return _render(request, form=form, status=400)
    return _render(request, report=report)
