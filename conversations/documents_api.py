"""/api/v1/conversations/…: the invitation letter (PDF) and the figures (JSON),
through the same access functions and services as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from access.permissions import VIEW, figures_scope, require
from accounts.fresh import require_fresh_authentication

from . import selectors
from .documents_views import pdf_response
from .figures import (
    MAX_MONTHS,
    FigureRow,
    conversation_figures,
    default_period,
    month_end,
    months_between,
)
from .letter import conversation_letter_pdf, letter_filename

# --- The letter -----------------------------------------------------------------------


class PdfRenderer(BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`; the PDF itself is returned
    as a plain response and errors are always JSON (see finalize_response)."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class LetterRefusedOutput(serializers.Serializer):
    detail = serializers.CharField()


class ConversationLetterView(APIView):
    """GET: the invitation letter to the parents of a planned conversation, as a
    PDF attachment. 404 for a conversation the caller may not know of, 403 when it
    may see only its state, 409 when it is not planned."""

    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        operation_id="conversations_letter",
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description=str(_("The letter (PDF)"))
            ),
            409: LetterRefusedOutput,
        },
    )
    def get(self, request, pk):
        conversation = selectors.conversation_for(user=request.user, pk=pk, action=VIEW)
        require_fresh_authentication(request)
        try:
            content = conversation_letter_pdf(
                actor=request.user, conversation=conversation
            )
        except ValidationError as exc:
            return Response(
                {"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT
            )
        return pdf_response(content, letter_filename(conversation))

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


# --- The figures ----------------------------------------------------------------------


class FiguresInput(serializers.Serializer):
    from_month = serializers.DateField(
        input_formats=["%Y-%m"],
        required=False,
        help_text="YYYY-MM; default: eleven months before this one.",
    )
    to_month = serializers.DateField(
        input_formats=["%Y-%m"],
        required=False,
        help_text="YYYY-MM; default: this month.",
    )
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

    def validate(self, data):
        default_since, default_until = default_period()
        since = data.get("from_month") or default_since
        until = data.get("to_month") or default_until
        if until < since:
            raise serializers.ValidationError(
                {"to_month": _("The last month cannot be before the first.")}
            )
        if months_between(since, until) > MAX_MONTHS:
            raise serializers.ValidationError(
                {
                    "to_month": _("Choose at most %(months)d months.")
                    % {"months": MAX_MONTHS}
                }
            )
        data["since"], data["until"] = since, month_end(until)
        return data


class FigureRowOutput(serializers.Serializer):
    requested = serializers.IntegerField()
    held = serializers.IntegerField()
    follow_ups_due = serializers.IntegerField()
    followed_up_on_time = serializers.IntegerField()
    share_on_time = serializers.FloatField(
        allow_null=True, help_text="0–1; null when no follow-up was due."
    )


class MonthRowOutput(FigureRowOutput):
    month = serializers.SerializerMethodField()

    def get_month(self, row: FigureRow) -> str:
        return f"{row.key:%Y-%m}"


class KindRowOutput(FigureRowOutput):
    kind = serializers.CharField(source="key")
    label = serializers.CharField()


class MunicipalityRowOutput(FigureRowOutput):
    municipality = serializers.UUIDField(source="key")
    name = serializers.CharField(source="label")


class MunicipalityOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class FiguresOutput(serializers.Serializer):
    since = serializers.DateField()
    until = serializers.DateField()
    municipalities = MunicipalityOutput(many=True)
    by_month = MonthRowOutput(many=True)
    by_kind = KindRowOutput(many=True)
    by_municipality = MunicipalityRowOutput(many=True)
    total = FigureRowOutput()


class ConversationFiguresView(APIView):
    """GET: aggregate counts of concern conversations in the municipalities the
    caller oversees (a manager or SSP coordinator; 403 for anyone else). No person
    is named and no conversation identified."""

    @extend_schema(
        operation_id="conversations_figures",
        parameters=[FiguresInput],
        responses={200: FiguresOutput},
    )
    def get(self, request):
        scope = list(figures_scope(request.user))
        require(bool(scope))
        data = FiguresInput(data=request.query_params, scope=scope)
        data.is_valid(raise_exception=True)
        chosen = data.validated_data.get("municipality")
        found = conversation_figures(
            municipalities=[chosen] if chosen else scope,
            since=data.validated_data["since"],
            until=data.validated_data["until"],
        )
        return Response(FiguresOutput(found).data)
