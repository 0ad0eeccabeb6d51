"""/api/v1/ for §115/SSP meetings (issue 5, point 8): forums, meetings, agenda
items, shared information, action items and consents, through the same access
functions (meetings.selectors) and services as the pages.

Who gets what:

* 404 for whoever takes no part: a forum, meeting, item, share or action item is
  fetched through its selector, which does not tell whether it exists;
* 403 (audited) for a participant that may read but not run the meeting: only
  the forum's running agency (the SSP unit) builds, sends, starts, ends, decides
  and assigns action items; only the chair approves the minutes;
* sharing is every participant's own act (R-115-5): the service checks that the
  caller's acting agency takes part in the meeting and that the basis fits.

A service's refusal is a 400 with the same field messages as the pages
(core.api.exception_handler). §115 stk. 5 information is read one at a time;
lists show that it exists, never its content (R-115-6: no export).
"""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from access.permissions import (
    CHANGE,
    VIEW,
    acting_agency,
    can_run_forums,
    get_visible_or_404,
    require,
)
from cases.models import Person
from core.api import field_lookup, validated

from . import agenda, forums, selectors, services, sharing
from .models import ActionItem, AgendaItem, Consent, Forum, Meeting, SharedInformation
from .serializers import (
    ActionItemFilterInput,
    ActionItemInput,
    ActionItemOutput,
    ActionItemStatusInput,
    AgendaItemInput,
    AgendaItemOutput,
    AgendaItemUpdateInput,
    AgendaOrderInput,
    AttendanceInput,
    ConsentFilterInput,
    ConsentInput,
    ConsentOutput,
    ConsentWithdrawInput,
    DecisionInput,
    ForumDetailOutput,
    ForumInput,
    ForumMemberInput,
    ForumMemberLeaveInput,
    ForumMemberOutput,
    ForumOutput,
    MeetingCancelInput,
    MeetingFilterInput,
    MeetingOutput,
    MeetingParticipantOutput,
    MeetingRefInput,
    ReshareInput,
    SharedInformationInput,
    SharedInformationListOutput,
    SharedInformationOutput,
)

_UUID = r"[0-9a-f-]{36}"


def _schema_safe(view) -> bool:
    return bool(getattr(view, "swagger_fake_view", False))


# --- Forums ---------------------------------------------------------------------------


class ForumViewSet(viewsets.GenericViewSet):
    """The forums the caller's agencies run or are members of."""

    serializer_class = ForumOutput
    lookup_value_converter = "uuid"

    def get_queryset(self):
        if _schema_safe(self):
            return Forum.objects.none()
        return selectors.forums_visible_to(user=self.request.user).prefetch_related(
            "municipalities"
        )

    def _detail(self, forum, *, code: int = status.HTTP_200_OK) -> Response:
        prefetch_related_objects([forum], "municipalities")
        context = {"members": selectors.members_of(forum=forum)}
        return Response(ForumDetailOutput(forum, context=context).data, status=code)

    @extend_schema(responses={200: ForumOutput(many=True)})
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ForumOutput(page, many=True).data)

    @extend_schema(responses={200: ForumDetailOutput})
    def retrieve(self, request, pk=None):
        return self._detail(selectors.forum_for(user=request.user, pk=pk))

    @extend_schema(request=ForumInput, responses={201: ForumDetailOutput})
    def create(self, request):
        """Set up a forum run by the caller's SSP unit (an SSP coordinator only);
        the unit and the chair become members and its meetings are generated."""
        agency = acting_agency(request)
        require(can_run_forums(request.user, agency))
        forum = forums.forum_create(
            actor=request.user, agency=agency, **validated(ForumInput, request.data)
        )
        return self._detail(forum, code=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"], request=None, responses={200: ForumMemberOutput(many=True)}
    )
    @extend_schema(
        methods=["POST"], request=ForumMemberInput, responses={201: ForumMemberOutput}
    )
    @action(detail=True, methods=["get", "post"])
    def members(self, request, pk=None):
        """The current members (GET), or a new member (POST, the running agency):
        an authority of the forum's area, as a whole or one named person of it;
        never a private organisation (R-115-4)."""
        if request.method == "GET":
            forum = selectors.forum_for(user=request.user, pk=pk)
            page = self.paginate_queryset(selectors.members_of(forum=forum))
            return self.get_paginated_response(ForumMemberOutput(page, many=True).data)
        forum = selectors.forum_for(user=request.user, pk=pk, action=CHANGE)
        member = forums.forum_member_add(
            actor=request.user, forum=forum, **validated(ForumMemberInput, request.data)
        )
        return Response(ForumMemberOutput(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ForumMemberLeaveInput, responses={200: ForumMemberOutput})
    @action(
        detail=True,
        methods=["post"],
        url_path=rf"members/(?P<member_id>{_UUID})/leave",
    )
    def leave(self, request, pk=None, member_id=None):
        """A member leaves (the running agency records it): it loses the forum
        and its future meetings; the audit log keeps what it saw."""
        forum = selectors.forum_for(user=request.user, pk=pk, action=CHANGE)
        member = get_object_or_404(selectors.members_of(forum=forum), pk=member_id)
        fields = validated(ForumMemberLeaveInput, request.data)
        member = forums.forum_member_leave(
            actor=request.user,
            member=member,
            left_on=fields.get("left_on") or timezone.localdate(),
        )
        return Response(ForumMemberOutput(member).data)


# --- Meetings -------------------------------------------------------------------------


class MeetingViewSet(viewsets.GenericViewSet):
    """The meetings the caller takes part in (or runs), with their participants.
    The running agency moves a meeting through its states; participants read."""

    serializer_class = MeetingOutput
    lookup_value_converter = "uuid"

    def get_queryset(self):
        if _schema_safe(self):
            return Meeting.objects.none()
        return selectors.meetings_visible_to(user=self.request.user).prefetch_related(
            "participants__agency", "participants__user"
        )

    def _for_change(self, pk) -> Meeting:
        return selectors.meeting_for(user=self.request.user, pk=pk, action=CHANGE)

    def _out(self, meeting: Meeting) -> Response:
        meeting = self.get_queryset().get(pk=meeting.pk)
        return Response(MeetingOutput(meeting).data)

    @extend_schema(
        parameters=[MeetingFilterInput], responses={200: MeetingOutput(many=True)}
    )
    def list(self, request):
        filters = validated(MeetingFilterInput, request.query_params)
        found = self.get_queryset()
        if filters.get("forum"):
            found = found.filter(forum_id=filters["forum"])
        if filters.get("from"):
            found = found.filter(starts_at__date__gte=filters["from"])
        if filters.get("to"):
            found = found.filter(starts_at__date__lte=filters["to"])
        page = self.paginate_queryset(found.order_by("starts_at"))
        return self.get_paginated_response(MeetingOutput(page, many=True).data)

    @extend_schema(responses={200: MeetingOutput})
    def retrieve(self, request, pk=None):
        return self._out(selectors.meeting_for(user=request.user, pk=pk))

    @extend_schema(request=None, responses={200: AgendaItemOutput(many=True)})
    @action(detail=True, methods=["post"], url_path="build-agenda")
    def build_agenda(self, request, pk=None):
        """Add to the agenda what is due and new (police lists, follow-ups, new
        concerns, sibling alerts); answers the whole agenda."""
        meeting = self._for_change(pk)
        agenda.agenda_build(actor=request.user, meeting=meeting)
        items = selectors.agenda_of(user=request.user, meeting=meeting)
        return Response(AgendaItemOutput(items, many=True).data)

    @extend_schema(
        request=AgendaOrderInput, responses={200: AgendaItemOutput(many=True)}
    )
    @action(detail=True, methods=["post"])
    def reorder(self, request, pk=None):
        """Put the agenda in a new order before the meeting is held."""
        meeting = self._for_change(pk)
        agenda.agenda_reorder(
            actor=request.user,
            meeting=meeting,
            **validated(AgendaOrderInput, request.data),
        )
        items = selectors.agenda_of(user=request.user, meeting=meeting)
        return Response(AgendaItemOutput(items, many=True).data)

    @extend_schema(request=None, responses={200: MeetingOutput})
    @action(detail=True, methods=["post"], url_path="send-agenda")
    def send_agenda(self, request, pk=None):
        """Send the agenda: participants are notified the forum's notice days
        before the meeting."""
        meeting = self._for_change(pk)
        agenda.agenda_send(actor=request.user, meeting=meeting)
        return self._out(meeting)

    @extend_schema(request=None, responses={200: MeetingOutput})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        meeting = self._for_change(pk)
        services.meeting_start(actor=request.user, meeting=meeting)
        return self._out(meeting)

    @extend_schema(request=None, responses={200: MeetingOutput})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """The meeting is over; attendance not marked counts as absent."""
        meeting = self._for_change(pk)
        services.meeting_end(actor=request.user, meeting=meeting)
        return self._out(meeting)

    @extend_schema(request=None, responses={200: MeetingOutput})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The chair approves the minutes."""
        meeting = self._for_change(pk)
        services.minutes_approve(actor=request.user, meeting=meeting)
        return self._out(meeting)

    @extend_schema(request=MeetingCancelInput, responses={200: MeetingOutput})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        meeting = self._for_change(pk)
        services.meeting_cancel(
            actor=request.user,
            meeting=meeting,
            **validated(MeetingCancelInput, request.data),
        )
        return self._out(meeting)

    @extend_schema(request=AttendanceInput, responses={200: MeetingParticipantOutput})
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Mark whether a participant attended, while the meeting runs or after."""
        meeting = self._for_change(pk)
        fields = validated(AttendanceInput, request.data)
        participant = field_lookup(
            "participant",
            lambda: get_object_or_404(
                selectors.participants_of(meeting=meeting), pk=fields["participant"]
            ),
        )
        services.attendance_set(
            actor=request.user, participant=participant, attended=fields["attended"]
        )
        return Response(MeetingParticipantOutput(participant).data)


# --- Agenda items ---------------------------------------------------------------------


class AgendaItemViewSet(viewsets.GenericViewSet):
    """The items on a meeting's agenda (`?meeting=` required), seen by its
    participants; the running agency adds, changes, removes and decides them."""

    serializer_class = AgendaItemOutput
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return AgendaItem.objects.none()  # every read goes through a selector

    @extend_schema(
        parameters=[MeetingRefInput], responses={200: AgendaItemOutput(many=True)}
    )
    def list(self, request):
        meeting = selectors.meeting_for(
            user=request.user,
            pk=validated(MeetingRefInput, request.query_params)["meeting"],
        )
        page = self.paginate_queryset(
            selectors.agenda_of(user=request.user, meeting=meeting)
        )
        return self.get_paginated_response(AgendaItemOutput(page, many=True).data)

    @extend_schema(responses={200: AgendaItemOutput})
    def retrieve(self, request, pk=None):
        item = selectors.item_for(user=request.user, pk=pk)
        return Response(AgendaItemOutput(item).data)

    @extend_schema(request=AgendaItemInput, responses={201: AgendaItemOutput})
    def create(self, request):
        """Add an item, usually about a young person the caller may see; outside
        the forum's target age group with a reason (R-115-9)."""
        fields = validated(AgendaItemInput, request.data)
        meeting = selectors.meeting_for(
            user=request.user, pk=fields.pop("meeting"), action=CHANGE
        )
        person = None
        if person_id := fields.pop("person", None):
            person = field_lookup(
                "person", lambda: get_visible_or_404(request.user, Person, pk=person_id)
            )
        item = agenda.agenda_item_add(
            actor=request.user, meeting=meeting, person=person, **fields
        )
        item = selectors.item_for(user=request.user, pk=item.pk)
        return Response(AgendaItemOutput(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AgendaItemUpdateInput, responses={200: AgendaItemOutput})
    def partial_update(self, request, pk=None):
        """Change the title, reason, consent status or the age-group reason before
        the meeting is held."""
        item = selectors.item_for(user=request.user, pk=pk, action=CHANGE)
        agenda.agenda_item_update(
            actor=request.user,
            item=item,
            **validated(AgendaItemUpdateInput, request.data),
        )
        return Response(AgendaItemOutput(item).data)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, pk=None):
        """Take the item off the agenda; a rebuild does not bring it back."""
        item = selectors.item_for(user=request.user, pk=pk, action=CHANGE)
        agenda.agenda_item_remove(actor=request.user, item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=DecisionInput, responses={200: AgendaItemOutput})
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        """Record the forum's decision while the meeting runs; it may request a
        concern conversation, which then appears in the police's list."""
        item = selectors.item_for(user=request.user, pk=pk, action=CHANGE)
        services.decision_record(
            actor=request.user, item=item, **validated(DecisionInput, request.data)
        )
        return Response(AgendaItemOutput(item).data)


# --- Shared information ---------------------------------------------------------------


class SharedInformationViewSet(viewsets.GenericViewSet):
    """What the agencies shared in a meeting (`?meeting=` required), each with its
    basis and sharing agency, seen by those taking part in that meeting only."""

    serializer_class = SharedInformationOutput
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return SharedInformation.objects.none()  # every read goes through a selector

    def _created(self, shared) -> Response:
        shared = selectors.shared_for(user=self.request.user, pk=shared.pk)
        return Response(
            SharedInformationOutput(shared).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        parameters=[MeetingRefInput],
        responses={200: SharedInformationListOutput(many=True)},
        description="§115 stk. 5 information the caller may see is listed with "
        "its basis, sharer and banner, but `text` and `necessity` are null: it is "
        "read one at a time (R-115-6).",
    )
    def list(self, request):
        meeting = selectors.meeting_for(
            user=request.user,
            pk=validated(MeetingRefInput, request.query_params)["meeting"],
        )
        page = self.paginate_queryset(
            selectors.shared_of(user=request.user, meeting=meeting).select_related(
                "gang_information"
            )
        )
        return self.get_paginated_response(
            SharedInformationListOutput(page, many=True).data
        )

    @extend_schema(responses={200: SharedInformationOutput})
    def retrieve(self, request, pk=None):
        shared = selectors.shared_for(user=request.user, pk=pk)
        return Response(SharedInformationOutput(shared).data)

    def _consent(self, consent_id):
        if not consent_id:
            return None
        return field_lookup(
            "consent",
            lambda: selectors.consent_for(user=self.request.user, pk=consent_id),
        )

    @extend_schema(
        request=SharedInformationInput, responses={201: SharedInformationOutput}
    )
    def create(self, request):
        """Share information about an item's person, for the caller's acting
        agency taking part in the meeting (R-115-5)."""
        fields = validated(SharedInformationInput, request.data)
        item = selectors.item_for(user=request.user, pk=fields.pop("item"))
        shared = sharing.information_share(
            actor=request.user,
            agency=acting_agency(request),
            item=item,
            consent=self._consent(fields.pop("consent", None)),
            **fields,
        )
        return self._created(shared)

    @extend_schema(request=ReshareInput, responses={201: SharedInformationOutput})
    @action(detail=False, methods=["post"])
    def reshare(self, request):
        """Pass information received in one meeting on into another, with a new
        basis of the caller's own (R-115-8); never §115 stk. 5 information."""
        fields = validated(ReshareInput, request.data)
        source = field_lookup(
            "reshared_from",
            lambda: selectors.shared_for(user=request.user, pk=fields["reshared_from"]),
        )
        item = selectors.item_for(user=request.user, pk=fields["item"])
        shared = sharing.information_reshare(
            actor=request.user,
            agency=acting_agency(request),
            source=source,
            item=item,
            legal_basis=fields["legal_basis"],
            necessity=fields["necessity"],
            consent=self._consent(fields.get("consent")),
        )
        return self._created(shared)


# --- Action items ---------------------------------------------------------------------


class ActionItemViewSet(viewsets.GenericViewSet):
    """Action items: of a meeting (`?meeting=`), the caller's own (`?mine=1`) or
    its agencies' (`?agency=1`, for agency leads). The running agency assigns
    them; the responsible agency and person record how far they are."""

    serializer_class = ActionItemOutput
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return ActionItem.objects.none()  # every read goes through a selector

    @extend_schema(
        parameters=[ActionItemFilterInput],
        responses={200: ActionItemOutput(many=True)},
        description="Exactly one of `meeting`, `mine` or `agency`.",
    )
    def list(self, request):
        filters = validated(ActionItemFilterInput, request.query_params)
        user = request.user
        if filters.get("meeting"):
            meeting = selectors.meeting_for(user=user, pk=filters["meeting"])
            found = selectors.actions_of(user=user, meeting=meeting)
        elif filters.get("mine"):
            found = selectors.my_action_items(user=user)
        elif filters.get("agency"):
            found = selectors.agency_action_items(user=user)
        else:
            raise serializers.ValidationError(
                {"meeting": [_("Choose a meeting, your own or your agency's.")]}
            )
        page = self.paginate_queryset(found.select_related("item", "person"))
        return self.get_paginated_response(ActionItemOutput(page, many=True).data)

    def _one(self, pk, action: str = VIEW) -> ActionItem:
        return selectors.action_for(user=self.request.user, pk=pk, action=action)

    @extend_schema(responses={200: ActionItemOutput})
    def retrieve(self, request, pk=None):
        return Response(ActionItemOutput(self._one(pk)).data)

    @extend_schema(request=ActionItemInput, responses={201: ActionItemOutput})
    def create(self, request):
        """Agree an action on an item while the meeting runs: what, which agency
        taking part (and which of its people) answers for it, by when."""
        fields = validated(ActionItemInput, request.data)
        item = selectors.item_for(
            user=request.user, pk=fields.pop("item"), action=CHANGE
        )
        created = services.action_item_add(actor=request.user, item=item, **fields)
        return Response(
            ActionItemOutput(self._one(created.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ActionItemStatusInput, responses={200: ActionItemOutput})
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        """Done, cancelled or open again."""
        found = self._one(pk, CHANGE)
        services.action_item_set_status(
            actor=request.user,
            action=found,
            **validated(ActionItemStatusInput, request.data),
        )
        return Response(ActionItemOutput(found).data)


# --- Consents -------------------------------------------------------------------------


class ConsentViewSet(viewsets.GenericViewSet):
    """A person's consents to sharing (R-CONF-2), seen with the person
    (`?person=` required). Whoever may see the person records a consent for its
    acting agency, or its withdrawal: a withdrawn consent stops further sharing
    on it."""

    serializer_class = ConsentOutput
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return Consent.objects.none()  # every read goes through a selector

    def _person(self, pk, *, field: str | None = None) -> Person:
        def fetch():
            return get_visible_or_404(self.request.user, Person, pk=pk)

        return field_lookup(field, fetch) if field else fetch()

    @extend_schema(
        parameters=[ConsentFilterInput], responses={200: ConsentOutput(many=True)}
    )
    def list(self, request):
        person = self._person(
            validated(ConsentFilterInput, request.query_params)["person"]
        )
        page = self.paginate_queryset(
            selectors.consents_of(user=request.user, person=person).select_related(
                "recorded_by"
            )
        )
        return self.get_paginated_response(ConsentOutput(page, many=True).data)

    @extend_schema(responses={200: ConsentOutput})
    def retrieve(self, request, pk=None):
        return Response(
            ConsentOutput(selectors.consent_for(user=request.user, pk=pk)).data
        )

    @extend_schema(request=ConsentInput, responses={201: ConsentOutput})
    def create(self, request):
        """Record who consented, to what and for which agencies, and when."""
        fields = validated(ConsentInput, request.data)
        person = self._person(fields.pop("person"), field="person")
        consent = sharing.consent_record(
            actor=request.user, agency=acting_agency(request), person=person, **fields
        )
        return Response(ConsentOutput(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ConsentWithdrawInput, responses={200: ConsentOutput})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The consent is withdrawn: nothing more may be shared on it; what was
        shared before keeps it as its basis."""
        consent = selectors.consent_for(user=request.user, pk=pk)
        fields = validated(ConsentWithdrawInput, request.data)
        sharing.consent_withdraw(
            actor=request.user,
            consent=consent,
            withdrawn_on=fields.get("withdrawn_on") or timezone.localdate(),
        )
        return Response(ConsentOutput(consent).data)
