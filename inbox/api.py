"""/api/v1/inbox/: the caller's tasks, as on the page ("Mine opgaver").

GET lists the items (overdue first, then by due date) with the counts per kind;
`scope` (all, mine, agency), `kind`, `overdue=1` and `snoozed=1` filter as on the
page. POST done/ completes an item through its own service; POST snooze/ puts it
aside; POST wake/ brings it back. An item that is not in the caller's inbox is a
404, whether or not it exists."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services
from .forms import LATER_CHOICES, later_than
from .registry import registered_kinds
from .selectors import ALL, PAGE_SIZE, SCOPES, inbox_context, inbox_counts, inbox_items


class InboxItemOutput(serializers.Serializer):
    kind = serializers.CharField(source="kind.key")
    kind_label = serializers.CharField(source="kind.label")
    object_id = serializers.UUIDField()
    url = serializers.CharField(help_text="The page in Tværs where the work is done.")
    person_id = serializers.UUIDField(allow_null=True)
    person_name = serializers.CharField()
    text = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    since = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()
    new = serializers.BooleanField()
    assigned_to_me = serializers.BooleanField(source="mine")
    can_complete = serializers.SerializerMethodField()
    can_snooze = serializers.BooleanField(source="kind.snooze")

    def get_can_complete(self, item) -> bool:
        return item.kind.done is not None


class KindCountOutput(serializers.Serializer):
    kind = serializers.CharField(source="kind.key")
    label = serializers.CharField(source="kind.label")
    total = serializers.IntegerField()
    overdue = serializers.IntegerField()
    new = serializers.IntegerField()


class InboxOutput(serializers.Serializer):
    count = serializers.IntegerField()
    overdue = serializers.IntegerField()
    new = serializers.IntegerField()
    kinds = KindCountOutput(many=True)
    results = InboxItemOutput(many=True)


class ItemInput(serializers.Serializer):
    kind = serializers.CharField(
        max_length=60, help_text="The item's kind, as the list gives it."
    )
    object_id = serializers.UUIDField()

    def validate_kind(self, value: str) -> str:
        if value not in {k.key for k in registered_kinds()}:
            raise ValidationError("Unknown kind.")
        return value


class SnoozeInput(ItemInput):
    later = serializers.CharField(
        default="tomorrow",
        help_text=f"One of {', '.join(v for v, _l in LATER_CHOICES)}.",
    )

    def validate_later(self, value: str) -> str:
        if value not in {v for v, _label in LATER_CHOICES}:
            raise ValidationError("Unknown choice.")
        return value


class MessageOutput(serializers.Serializer):
    detail = serializers.CharField()


def _page_number(value: str) -> int:
    return int(value) if value.isdigit() and 0 < int(value) < 10_000 else 1


def _refused(exc: DjangoValidationError) -> ValidationError:
    if hasattr(exc, "message_dict"):
        return ValidationError(exc.message_dict)
    return ValidationError({"detail": exc.messages})


class InboxView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("scope", str, enum=list(SCOPES)),
            OpenApiParameter("kind", str),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("snoozed", bool),
            OpenApiParameter("page", int),
        ],
        responses={200: InboxOutput},
    )
    def get(self, request):
        """The caller's tasks, PAGE_SIZE a page, with the counts per kind."""
        keys = {kind.key for kind in registered_kinds()}
        kind = request.query_params.get("kind", "")
        if kind and kind not in keys:
            raise ValidationError({"kind": ["Unknown kind."]})
        scope = request.query_params.get("scope", ALL)
        if scope not in SCOPES:
            raise ValidationError({"scope": [f"One of {', '.join(SCOPES)}."]})
        ctx = inbox_context(
            user=request.user,
            session=getattr(request, "session", None),
            scope=scope,
            snoozed=request.query_params.get("snoozed") in ("1", "true"),
            overdue=request.query_params.get("overdue") in ("1", "true"),
        )
        counts = inbox_counts(ctx)
        page = _page_number(request.query_params.get("page", "1"))
        items = inbox_items(ctx, kind=kind, offset=(page - 1) * PAGE_SIZE)
        shown = counts.of(kind) if kind else counts
        return Response(
            InboxOutput(
                {
                    "count": shown.total if shown else 0,
                    "overdue": shown.overdue if shown else 0,
                    "new": shown.new if shown else 0,
                    "kinds": counts.by_kind,
                    "results": items,
                }
            ).data
        )


class InboxDoneView(APIView):
    @extend_schema(request=ItemInput, responses={200: MessageOutput})
    def post(self, request):
        """Complete an item through its own service."""
        data = ItemInput(data=request.data)
        data.is_valid(raise_exception=True)
        ctx = inbox_context(
            user=request.user, session=getattr(request, "session", None)
        )
        try:
            message = services.inbox_done(
                ctx=ctx,
                kind=data.validated_data["kind"],
                object_id=data.validated_data["object_id"],
            )
        except DjangoValidationError as exc:
            raise _refused(exc) from exc
        return Response({"detail": message})


class InboxSnoozeView(APIView):
    @extend_schema(request=SnoozeInput, responses={200: MessageOutput})
    def post(self, request):
        """Put an item aside (tomorrow, next Monday, a week or two weeks)."""
        data = SnoozeInput(data=request.data)
        data.is_valid(raise_exception=True)
        ctx = inbox_context(
            user=request.user, session=getattr(request, "session", None)
        )
        until = later_than(data.validated_data["later"], ctx.today)
        try:
            services.inbox_snooze(
                ctx=ctx,
                kind=data.validated_data["kind"],
                object_id=data.validated_data["object_id"],
                until=until,
            )
        except DjangoValidationError as exc:
            raise _refused(exc) from exc
        return Response({"detail": until.isoformat()})


class InboxWakeView(APIView):
    @extend_schema(request=ItemInput, responses={200: MessageOutput})
    def post(self, request):
        """Bring a put-aside item back now."""
        data = ItemInput(data=request.data)
        data.is_valid(raise_exception=True)
        woken = services.inbox_wake(
            user=request.user,
            kind=data.validated_data["kind"],
            object_id=data.validated_data["object_id"],
        )
        if not woken:
            raise ValidationError({"object_id": ["That task was not put aside."]})
        return Response({"detail": "woken"})
