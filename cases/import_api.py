"""/api/v1/persons/import/: the same import as the page, in one request."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from access.permissions import can_record_cases
from organisations.selectors import acting_membership

from . import importing


class PersonImportInput(serializers.Serializer):
    file = serializers.FileField(
        label=gettext_lazy("file"),
        help_text="CSV (UTF-8 or Windows-1252, ; or ,) or XLSX; columns in "
        "docs/importing.md.",
    )
    dry_run = serializers.BooleanField(
        default=True, help_text="Report only, save nothing (the default)."
    )


class ImportRowOutput(serializers.Serializer):
    row = serializers.IntegerField(help_text="Row number in the file; header = 1.")
    outcome = serializers.ChoiceField(choices=importing.OUTCOMES)
    person = serializers.UUIDField(
        allow_null=True,
        help_text="The person created or matched; null in a dry run's creates.",
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field-level messages of a rejected row.",
    )


class ImportReportOutput(serializers.Serializer):
    dry_run = serializers.BooleanField()
    created = serializers.IntegerField()
    matched = serializers.IntegerField()
    rejected = serializers.IntegerField()
    rows = ImportRowOutput(many=True)


class PersonImportView(APIView):
    """Import young people from a CSV or XLSX file for the caller's acting agency.
    A dry run (the default) reports what would happen row by row and saves nothing;
    `dry_run=false` imports in one transaction, skipping rejected rows."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": PersonImportInput},
        responses={200: ImportReportOutput},
    )
    def post(self, request):
        membership = acting_membership(user=request.user, session=request.session)
        if membership is None or not can_record_cases(request.user, membership.agency):
            raise PermissionDenied
        data = PersonImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        if upload.size > importing.MAX_BYTES:
            raise importing.ImportFileError(importing.too_large_message())
        report = importing.import_persons(
            actor=request.user,
            agency=membership.agency,
            file=upload.read(),
            filename=upload.name,
            dry_run=data.validated_data["dry_run"],
        )
        return Response(
            ImportReportOutput(
                {
                    "dry_run": report.dry_run,
                    "created": report.created,
                    "matched": report.matched,
                    "rejected": report.rejected,
                    "rows": [
                        {
                            "row": r.row,
                            "outcome": r.outcome,
                            "person": r.person.pk if r.person else None,
                            "errors": r.errors,
                        }
                        for r in report.rows
                    ],
                }
            ).data
        )
