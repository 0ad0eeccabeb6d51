"""/api/v1/exit/figures/: the Exit programme's figures as JSON (issue 6, point 5),
through the same scope and counts as the page (exitprogram.figures). Counts only:
no person is named and no case identified."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from access.permissions import require

from .figures import exit_figures, exit_figures_scope


class ExitFiguresInput(serializers.Serializer):
    municipality = serializers.UUIDField(
        required=False, help_text="One of the municipalities in the caller's scope."
    )

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = {m.pk: m for m in scope or []}

    def validate_municipality(self, value):
        if value not in self.scope:
            raise serializers.ValidationError(
                _("Choose one of the municipalities you oversee.")
            )
        return self.scope[value]


class YearOutput(serializers.Serializer):
    year = serializers.IntegerField(source="key")
    enrolled = serializers.IntegerField(source="count")


class ReasonOutput(serializers.Serializer):
    reason = serializers.CharField(source="key")
    label = serializers.CharField()
    ended = serializers.IntegerField(source="count")


class OutcomeOutput(serializers.Serializer):
    not_convicted = serializers.IntegerField()
    convicted = serializers.IntegerField()
    known = serializers.IntegerField(
        help_text="Not convicted + convicted: the base of the share."
    )
    share_not_convicted = serializers.FloatField(
        allow_null=True, help_text="0–1; null when no outcome is known."
    )
    target_share = serializers.SerializerMethodField()
    target_met = serializers.BooleanField(allow_null=True)
    not_yet_known = serializers.IntegerField(
        help_text="Recorded as not known, or two years passed without an outcome."
    )
    recorded_unknown = serializers.IntegerField()
    overdue = serializers.IntegerField(
        help_text="Two years after the end have passed; no outcome recorded."
    )
    within_two_years = serializers.IntegerField(
        help_text="Ended less than two years ago; no outcome yet."
    )

    def get_target_share(self, outcome) -> float:
        return outcome.target_percent / 100


class ExitMunicipalityOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class ExitFiguresOutput(serializers.Serializer):
    today = serializers.DateField()
    municipalities = ExitMunicipalityOutput(many=True)
    enrolled_by_year = YearOutput(many=True)
    enrolled_total = serializers.IntegerField()
    active = serializers.IntegerField()
    ended_by_reason = ReasonOutput(many=True)
    ended_total = serializers.IntegerField()
    outcome = OutcomeOutput()


class ExitFiguresView(APIView):
    """GET: the Exit programme's figures for the municipalities the caller
    oversees (a manager or SSP coordinator) or coordinates exit cases in (an exit
    coordinator); 403 for anyone else."""

    @extend_schema(
        operation_id="exit_figures",
        parameters=[ExitFiguresInput],
        responses={200: ExitFiguresOutput},
    )
    def get(self, request):
        scope = list(exit_figures_scope(request.user))
        require(bool(scope))
        data = ExitFiguresInput(data=request.query_params, scope=scope)
        data.is_valid(raise_exception=True)
        chosen = data.validated_data.get("municipality")
        found = exit_figures(municipalities=[chosen] if chosen else scope)
        return Response(ExitFiguresOutput(found).data)
