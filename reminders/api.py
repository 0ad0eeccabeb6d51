"""/api/v1/notifications/: the caller's own notifications, as on the page.

No permission class of its own: the default, access.api.IsVerifiedMember, admits a
verified user, and the selector shows that user their own notifications only (a 404
for anyone else's)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import services
from .models import Notification
from .selectors import notification_of, notifications_for, unread_count


class NotificationOutput(serializers.ModelSerializer):
    title = serializers.CharField(
        source="heading", help_text="In the language the client asks for."
    )
    body = serializers.CharField(source="text")
    url = serializers.CharField(help_text="A path within Tværs; may be empty.")
    unread = serializers.BooleanField(source="is_unread")

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "created_at", "read_at", "unread"]
        read_only_fields = fields


class UnreadCountOutput(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkedOutput(serializers.Serializer):
    marked = serializers.IntegerField()


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's notifications, newest first."""

    serializer_class = NotificationOutput
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return notifications_for(user=self.request.user)

    def get_object(self):
        return notification_of(
            user=self.request.user, notification_id=self.kwargs["pk"]
        )

    @extend_schema(request=None, responses={200: NotificationOutput})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one notification read (idempotent)."""
        notification = self.get_object()
        services.notification_mark_read(user=request.user, notification=notification)
        return Response(NotificationOutput(notification).data)

    @extend_schema(request=None, responses={200: MarkedOutput})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark every unread notification read; answers how many."""
        marked = services.notifications_mark_all_read(user=request.user)
        return Response({"marked": marked})

    @extend_schema(request=None, responses={200: UnreadCountOutput})
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        """How many notifications are unread."""
        return Response({"unread": unread_count(user=request.user)})
