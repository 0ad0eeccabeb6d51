"""/api/v1/conversations/ and its neighbours (issue 4, point 8): the same access
functions and services as the pages.

Every conversation is fetched through `selectors.conversation_for`: 404 for a
caller who may not know it exists, 403 (audited) for one who may see it but not
act. A state change is one service call; an illegal transition comes back as a
400 with the service's message under `errors.non_field_errors`, as every
service refusal without a field does (core.api.exception_handler).
"""

from __future__ import annotations

import re

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from access.permissions import (
    CHANGE,
    VIEW,
    acting_agency,
    can,
    can_record_conversations,
    get_visible_or_404,
    require,
)
from cases.models import Person
from core.api import validated

from . import selectors, services
from .models import Measure
from .serializers import (
    ConversationCloseInput,
    ConversationDetailOutput,
    ConversationFilterInput,
    ConversationFollowUpInput,
    ConversationHoldInput,
    ConversationInput,
    ConversationMeasureInput,
    ConversationMeasureOutput,
    ConversationMethodOutput,
    ConversationParticipantInput,
    ConversationParticipantOutput,
    ConversationPlanInput,
    ConversationReasonInput,
    ConversationSummaryOutput,
    MeasureStatusInput,
    MeasureTypeOutput,
    WorklistMeasureOutput,
)

DETAIL_OR_SUMMARY = PolymorphicProxySerializer(
    component_name="ConversationDetailOrSummary",
    serializers=[ConversationDetailOutput, ConversationSummaryOutput],
    resource_type_field_name=None,
)


_MEASURE_FIELD = re.compile(r"measures-(\d+)-(.+)")


def _nested_measure_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    """conversation_hold names a measure's field errors `measures-<i>-<field>`,
    as the page's formset does; the API answers in the shape DRF gives errors in
    a nested list (keyed by the index of each refused item), so a client finds
    them where its own input errors are: {"measures": {"1": {"due_on": [...]}}}."""
    errors: dict = {}
    measures: dict[int, dict] = {}
    for key, messages in exc.message_dict.items():
        match = _MEASURE_FIELD.fullmatch(key)
        if match is None:
            errors[key] = messages
            continue
        field = "non_field_errors" if match[2] == NON_FIELD_ERRORS else match[2]
        measures.setdefault(int(match[1]), {})[field] = messages
    if measures:
        errors["measures"] = measures
    return serializers.ValidationError(errors)


class ConversationViewSet(viewsets.GenericViewSet):
    """Concern conversations the caller's agencies may know of. The detail is in
    full (reason, notes, participants, measures, follow-ups) for the police agency
    and the municipal agency taking part, and a summary (who, kind, state, dates)
    for the municipality's SSP unit. Only the police agency changes it."""

    serializer_class = ConversationSummaryOutput
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return selectors.conversations_visible_to(user=self.request.user)

    def _for_change(self, pk):
        return selectors.conversation_for(user=self.request.user, pk=pk, action=CHANGE)

    def _full(self, conversation, *, code: int = status.HTTP_200_OK) -> Response:
        """The conversation in full, for a caller the view has checked may `view`
        it; each list is read through its own selector (and audited)."""
        user = self.request.user
        context = {
            "participants": selectors.participants_of(
                user=user, conversation=conversation
            ),
            "measures": selectors.measures_of(user=user, conversation=conversation),
            "follow_ups": selectors.follow_ups_of(user=user, conversation=conversation),
        }
        return Response(
            ConversationDetailOutput(conversation, context=context).data, status=code
        )

    @extend_schema(
        parameters=[ConversationFilterInput],
        responses={200: ConversationSummaryOutput(many=True)},
    )
    def list(self, request):
        filters = ConversationFilterInput(data=request.query_params)
        filters.is_valid(raise_exception=True)
        found = selectors.conversations_filtered(
            user=request.user, **filters.validated_data
        )
        page = self.paginate_queryset(found)
        return self.get_paginated_response(
            ConversationSummaryOutput(page, many=True).data
        )

    @extend_schema(
        responses={200: DETAIL_OR_SUMMARY},
        description="In full for a caller who may see the conversation's content; "
        "otherwise the summary fields only.",
    )
    def retrieve(self, request, pk=None):
        conversation = selectors.conversation_for(user=request.user, pk=pk)
        if can(request.user, conversation, VIEW):
            return self._full(conversation)
        return Response(ConversationSummaryOutput(conversation).data)

    @extend_schema(request=ConversationInput, responses={201: ConversationDetailOutput})
    def create(self, request):
        """Record a requested conversation with a young person the caller may see.
        Only a police liaison officer, acting for a police agency, records one; the
        caller becomes the responsible officer."""
        agency = acting_agency(request)
        require(can_record_conversations(request.user, agency))
        fields = validated(ConversationInput, request.data)
        person = get_visible_or_404(request.user, Person, pk=fields.pop("person"))
        conversation = services.conversation_request(
            actor=request.user, agency=agency, person=person, **fields
        )
        return self._full(conversation, code=status.HTTP_201_CREATED)

    # --- Transitions ------------------------------------------------------------------

    @extend_schema(
        request=ConversationPlanInput, responses={200: ConversationDetailOutput}
    )
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        """Set or move the time and place (requested, planned or not attended)."""
        conversation = self._for_change(pk)
        services.conversation_plan(
            actor=request.user,
            conversation=conversation,
            **validated(ConversationPlanInput, request.data),
        )
        return self._full(conversation)

    @extend_schema(
        request=ConversationHoldInput, responses={200: ConversationDetailOutput}
    )
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        """Record the conversation as held: a note for each phase, who attended,
        the agreed measures and the follow-up date. Nothing is saved when any of
        it is refused."""
        conversation = self._for_change(pk)
        fields = validated(ConversationHoldInput, request.data)
        measures = [dict(measure) for measure in fields.pop("measures", [])]
        try:
            services.conversation_hold(
                actor=request.user,
                conversation=conversation,
                measures=measures,
                **fields,
            )
        except DjangoValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise  # an illegal transition: the exception handler words it
            raise _nested_measure_errors(exc) from exc
        return self._full(conversation)

    @extend_schema(
        request=ConversationFollowUpInput, responses={200: ConversationDetailOutput}
    )
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        """Record a follow-up; when the concern continues, with the next date."""
        conversation = self._for_change(pk)
        services.conversation_follow_up(
            actor=request.user,
            agency=acting_agency(request),
            conversation=conversation,
            **validated(ConversationFollowUpInput, request.data),
        )
        return self._full(conversation)

    @extend_schema(
        request=ConversationCloseInput, responses={200: ConversationDetailOutput}
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close with an outcome and a reason."""
        conversation = self._for_change(pk)
        services.conversation_close(
            actor=request.user,
            conversation=conversation,
            **validated(ConversationCloseInput, request.data),
        )
        return self._full(conversation)

    @extend_schema(
        request=ConversationReasonInput, responses={200: ConversationDetailOutput}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a conversation not yet held, with the reason."""
        conversation = self._for_change(pk)
        services.conversation_cancel(
            actor=request.user,
            conversation=conversation,
            **validated(ConversationReasonInput, request.data),
        )
        return self._full(conversation)

    @extend_schema(
        request=ConversationReasonInput, responses={200: ConversationDetailOutput}
    )
    @action(detail=True, methods=["post"], url_path="not-attended")
    def not_attended(self, request, pk=None):
        """The family did not come; it can be planned again or closed."""
        conversation = self._for_change(pk)
        services.conversation_not_attended(
            actor=request.user,
            conversation=conversation,
            **validated(ConversationReasonInput, request.data),
        )
        return self._full(conversation)

    # --- Participants and measures ----------------------------------------------------

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: ConversationParticipantOutput(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        request=ConversationParticipantInput,
        responses={201: ConversationParticipantOutput},
    )
    @action(detail=True, methods=["get", "post"])
    def participants(self, request, pk=None):
        """The invited (GET), or invite someone before the conversation is held
        (POST)."""
        if request.method == "GET":
            conversation = selectors.conversation_for(
                user=request.user, pk=pk, action=VIEW
            )
            page = self.paginate_queryset(
                selectors.participants_of(user=request.user, conversation=conversation)
            )
            return self.get_paginated_response(
                ConversationParticipantOutput(page, many=True).data
            )
        conversation = self._for_change(pk)
        fields = validated(ConversationParticipantInput, request.data)
        person = None
        if person_id := fields.pop("person", None):
            # A person the caller may not see is no one it can invite; the answer
            # does not tell whether such a person exists.
            try:
                person = get_visible_or_404(request.user, Person, pk=person_id)
            except Http404:
                raise serializers.ValidationError(
                    {"person": [_("No such person.")]}
                ) from None
        participant = services.participant_add(
            actor=request.user, conversation=conversation, person=person, **fields
        )
        return Response(
            ConversationParticipantOutput(participant).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={204: None})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"participants/(?P<participant_id>[0-9a-f-]{36})",
    )
    def remove_participant(self, request, pk=None, participant_id=None):
        """Withdraw an invitation before the conversation is held."""
        conversation = self._for_change(pk)
        participant = get_object_or_404(
            selectors.participants_of(user=request.user, conversation=conversation),
            pk=participant_id,
        )
        services.participant_remove(
            actor=request.user, conversation=conversation, participant=participant
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: ConversationMeasureOutput(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        request=ConversationMeasureInput,
        responses={201: ConversationMeasureOutput},
    )
    @action(detail=True, methods=["get", "post"])
    def measures(self, request, pk=None):
        """The agreed measures (GET), or agree one in the conversation or during
        follow-up (POST)."""
        if request.method == "GET":
            conversation = selectors.conversation_for(
                user=request.user, pk=pk, action=VIEW
            )
            page = self.paginate_queryset(
                selectors.measures_of(user=request.user, conversation=conversation)
            )
            return self.get_paginated_response(
                ConversationMeasureOutput(page, many=True).data
            )
        conversation = self._for_change(pk)
        measure = services.measure_add(
            actor=request.user,
            conversation=conversation,
            **validated(ConversationMeasureInput, request.data),
        )
        return Response(
            ConversationMeasureOutput(measure).data, status=status.HTTP_201_CREATED
        )


class MeasureViewSet(viewsets.GenericViewSet):
    """Agreed measures: the acting agency's worklist, and how far a measure is
    (the police agency or the responsible agency)."""

    serializer_class = ConversationMeasureOutput
    lookup_value_converter = "uuid"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Measure.objects.none()
        return selectors.worklist_for(
            user=self.request.user, agency=acting_agency(self.request)
        )

    @extend_schema(request=None, responses={200: WorklistMeasureOutput(many=True)})
    @action(detail=False, methods=["get"])
    def worklist(self, request):
        """The open measures the caller's acting agency answers for, by due date."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(WorklistMeasureOutput(page, many=True).data)

    @extend_schema(
        request=MeasureStatusInput, responses={200: ConversationMeasureOutput}
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        """Record how far the measure is."""
        measure = selectors.measure_for(user=request.user, pk=pk, action=CHANGE)
        services.measure_set_status(
            actor=request.user,
            measure=measure,
            **validated(MeasureStatusInput, request.data),
        )
        return Response(ConversationMeasureOutput(measure).data)


class MethodViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The conversation methods in use, with their example questions by phase
    (questions without a phase are under `any`). A catalogue: no case data."""

    serializer_class = ConversationMethodOutput

    def get_queryset(self):
        return selectors.active_methods()


class MeasureTypeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The types of measure in use. A catalogue: no case data."""

    serializer_class = MeasureTypeOutput

    def get_queryset(self):
        return selectors.active_measure_types()
