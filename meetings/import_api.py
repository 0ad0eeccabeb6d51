"""POST /api/v1/forums/<id>/police-lists/import/?dry_run=true: the police list
import of the page in one request (docs/police-list.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from access.permissions import CHANGE

from . import policelist, selectors
from .models import ListKind


class PoliceListImportInput(serializers.Serializer):
    """What the caller chooses; the forum comes from the URL, everything else
    (legal basis, grants, who imported) is set by the server."""

    meeting = serializers.UUIDField(help_text="A meeting of the forum, still open.")
    kind = serializers.ChoiceField(choices=ListKind.choices)
    police_agency = serializers.UUIDField(
        help_text="A police agency that is a member of the forum."
    )
    file = serializers.FileField(
        label=gettext_lazy("file"),
        help_text="CSV (UTF-8, ; or ,) or XLSX; columns in docs/police-list.md.",
    )


class ListRowOutput(serializers.Serializer):
    row = serializers.IntegerField(help_text="Row number in the file; header = 1.")
    fate = serializers.ChoiceField(choices=policelist.FATES)
    person = serializers.UUIDField(
        allow_null=True, help_text="The matched person; null otherwise."
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field-level messages of a rejected row.",
    )


class ListImportOutput(serializers.Serializer):
    dry_run = serializers.BooleanField()
    police_list = serializers.UUIDField(allow_null=True)
    matched = serializers.IntegerField()
    proposed = serializers.IntegerField()
    rejected = serializers.IntegerField()
    agenda_items = serializers.IntegerField()
    rows = ListRowOutput(many=True)


def _flag(text: str | None) -> bool:
    return (text or "true").strip().lower() not in ("0", "false", "no", "nej")


class PoliceListImportView(APIView):
    """Import a police list for a forum's meeting. A dry run (the default) reports
    every row's fate and saves nothing; `?dry_run=false` imports in one transaction
    (rejected rows are reported, not kept) and adds the rows to the agenda.
    404 for a forum the caller does not see; 403 for one it may not change."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "dry_run",
                OpenApiTypes.BOOL,
                OpenApiParameter.QUERY,
                description="Report only, save nothing (default true).",
            )
        ],
        request={"multipart/form-data": PoliceListImportInput},
        responses={200: ListImportOutput},
    )
    def post(self, request, pk):
        forum = selectors.forum_for(user=request.user, pk=pk, action=CHANGE)
        data = PoliceListImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        upload = values["file"]
        if upload.size > policelist.MAX_BYTES:
            raise policelist.ImportFileError(policelist.too_large_message())
        # Unknown or foreign ids become None: the service words the field error.
        meeting = (
            selectors.meetings_of(user=request.user, forum=forum)
            .filter(pk=values["meeting"])
            .first()
        )
        police_agency = next(
            (
                m.agency
                for m in selectors.members_of(forum=forum)
                if m.agency_id == values["police_agency"]
            ),
            None,
        )
        report = policelist.police_list_import(
            actor=request.user,
            forum=forum,
            meeting=meeting,
            kind=values["kind"],
            police_agency=police_agency,
            file=upload.read(),
            filename=upload.name,
            dry_run=_flag(request.query_params.get("dry_run")),
        )
        return Response(
            ListImportOutput(
                {
                    "dry_run": report.dry_run,
                    "police_list": report.police_list.pk
                    if report.police_list
                    else None,
                    "matched": report.matched,
                    "proposed": report.proposed,
                    "rejected": report.rejected,
                    "agenda_items": report.agenda_items,
                    "rows": [
                        {
                            "row": r.row,
                            "fate": r.fate,
                            "person": r.person.pk if r.person else None,
                            "errors": r.errors,
                        }
                        for r in report.rows
                    ],
                }
            ).data
        )
