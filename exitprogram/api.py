"""/api/v1/ for the Exit programme (issue 6, point 7): the exit coordinator's and
the police liaison's work, through the same access functions
(exitprogram.selectors) and services as the pages.

Transitions are one action per transition (`POST exit-cases/{id}/screen/`,
`…/to-police-mapping/`, `…/to-municipal-mapping/`, `…/to-clarification/`,
`…/enrol/`, `…/decline/`, `…/end/`, `…/outcome/`; the agreement phase ends
with `POST exit-agreements/{id}/sign/`): each has its own documented input, and
the case's `allowed_events` says which may come next (exitprogram.states).

Who gets what:

* 404 for whoever does not take part: a case, agreement, measure or report is
  fetched through its selector, which does not tell whether it exists. Another
  authority (the job centre) sees only the measures assigned to it, and of the
  case only the person's name (issue 6, point 6);
* the police mapping with the security assessment is served by its own endpoint
  and only to the exit unit and the police exit contact, through its own grants
  (R-EXIT-3); the police exit contact records it; the coordinator may read it
  (403 on PUT);
* 403 (audited) for the police exit contact on the coordinator's writes: it may
  read the case but not run it; the district police agency records the weekly
  reports (the exit unit reads them: 403 on record).

A service's refusal is a 400 with the same field messages as the pages
(core.api.exception_handler). Nothing is half-saved: each service is one
transaction.
"""

from __future__ import annotations

from django.http import Http404
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
    can_coordinate_exit,
    can_record_conversations,
    get_visible_or_404,
    require,
)
from cases.models import Person
from core.api import field_lookup, validated

from . import selectors, services
from .models import (
    Agreement,
    AgreementMeasure,
    ExitCase,
    WeeklyReport,
)
from .serializers import (
    AgreementDetailOutput,
    AgreementOutput,
    AgreementSentInput,
    AgreementSignInput,
    AgreementUpdateInput,
    CaseRefInput,
    ClarificationInput,
    ClarificationOutput,
    DeclineInput,
    EndInput,
    EnrolInput,
    ExitCaseFilterInput,
    ExitCaseOutput,
    ExitMeasureFilterInput,
    ExitMeasureInput,
    ExitMeasureOutput,
    ExitMeasureStatusInput,
    FollowUpMeetingInput,
    FollowUpMeetingOutput,
    MentorAssignmentOutput,
    MentorInput,
    MentorSessionInput,
    MentorSessionOutput,
    MunicipalMappingInput,
    MunicipalMappingOutput,
    NecNotificationInput,
    NecNotificationOutput,
    OutcomeInput,
    PoliceMappingInput,
    PoliceMappingOutput,
    ReferralInput,
    ScreenInput,
    WeeklyReportFilterInput,
    WeeklyReportInput,
    WeeklyReportOutput,
)

# --- Exit cases -----------------------------------------------------------------------


class ExitCaseViewSet(viewsets.GenericViewSet):
    """Exit cases: seen by the exit unit of the case's municipality and its
    police exit contact; run by the exit coordinator."""

    serializer_class = ExitCaseOutput
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return ExitCase.objects.none()  # every read goes through a selector

    def _case(self, pk, action: str = VIEW) -> ExitCase:
        return selectors.case_for(user=self.request.user, pk=pk, action=action)

    def _out(self, case: ExitCase, *, code: int = status.HTTP_200_OK) -> Response:
        return Response(ExitCaseOutput(case).data, status=code)

    def _page(self, found, output):
        page = self.paginate_queryset(found)
        return self.get_paginated_response(output(page, many=True).data)

    @extend_schema(
        parameters=[ExitCaseFilterInput], responses={200: ExitCaseOutput(many=True)}
    )
    def list(self, request):
        filters = validated(ExitCaseFilterInput, request.query_params)
        found = selectors.cases_visible_to(user=request.user)
        if filters.get("status"):
            found = found.filter(status=filters["status"])
        return self._page(found, ExitCaseOutput)

    @extend_schema(responses={200: ExitCaseOutput})
    def retrieve(self, request, pk=None):
        return self._out(self._case(pk))

    @extend_schema(request=ReferralInput, responses={201: ExitCaseOutput})
    def create(self, request):
        """Record a referral (an exit coordinator, for its exit unit): who
        referred, when, and the police exit contact."""
        agency = acting_agency(request)
        require(can_coordinate_exit(request.user, agency))
        fields = validated(ReferralInput, request.data)
        person_id = fields.pop("person")
        person = field_lookup(
            "person", lambda: get_visible_or_404(request.user, Person, pk=person_id)
        )
        case = services.exit_refer(
            actor=request.user, agency=agency, person=person, **fields
        )
        return self._out(self._case(case.pk), code=status.HTTP_201_CREATED)

    # The transitions, one action each.

    @extend_schema(request=ScreenInput, responses={200: ExitCaseOutput})
    @action(detail=True, methods=["post"])
    def screen(self, request, pk=None):
        """Referred → pre-screening, with the pre-screening note."""
        case = self._case(pk, CHANGE)
        fields = validated(ScreenInput, request.data)
        services.exit_screen(
            actor=request.user, case=case, note=fields["screening_note"]
        )
        return self._out(case)

    @extend_schema(request=None, responses={200: ExitCaseOutput})
    @action(detail=True, methods=["post"], url_path="to-police-mapping")
    def to_police_mapping(self, request, pk=None):
        """Pre-screening → police mapping: the police exit contact is asked."""
        case = self._case(pk, CHANGE)
        services.exit_to_police_mapping(actor=request.user, case=case)
        return self._out(case)

    @extend_schema(request=None, responses={200: ExitCaseOutput})
    @action(detail=True, methods=["post"], url_path="to-municipal-mapping")
    def to_municipal_mapping(self, request, pk=None):
        """Police mapping → municipal mapping: needs the police mapping and the
        person's signed consent declaration (R-EXIT-2)."""
        case = self._case(pk, CHANGE)
        services.exit_to_municipal_mapping(actor=request.user, case=case)
        return self._out(case)

    @extend_schema(request=None, responses={200: ExitCaseOutput})
    @action(detail=True, methods=["post"], url_path="to-clarification")
    def to_clarification(self, request, pk=None):
        """Municipal mapping → clarification conversation."""
        case = self._case(pk, CHANGE)
        services.exit_to_clarification(actor=request.user, case=case)
        return self._out(case)

    @extend_schema(request=EnrolInput, responses={200: ExitCaseOutput})
    @action(detail=True, methods=["post"])
    def enrol(self, request, pk=None):
        """The decision to enrol (from the municipality's minimum age, R-EXIT-1):
        the case goes to the agreement phase with a first draft agreement."""
        case = self._case(pk, CHANGE)
        services.exit_enrol(
            actor=request.user, case=case, **validated(EnrolInput, request.data)
        )
        return self._out(case)

    @extend_schema(request=DeclineInput, responses={200: ExitCaseOutput})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Decline with a reason; the exclusion criteria are explicit choices."""
        case = self._case(pk, CHANGE)
        fields = validated(DeclineInput, request.data)
        services.exit_decline(
            actor=request.user,
            case=case,
            decided_on=fields["decided_on"],
            reason=fields["decline_reason"],
            psychiatric=fields["excluded_psychiatric"],
            substance=fields["excluded_substance"],
            staff_safety=fields["excluded_staff_safety"],
        )
        return self._out(case)

    @extend_schema(request=EndInput, responses={200: ExitCaseOutput})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """Active → ended. A breach names the term breached. Only the coordination
        ends: other authorities' measures stay open until they close them."""
        case = self._case(pk, CHANGE)
        fields = validated(EndInput, request.data)
        services.exit_end(
            actor=request.user,
            case=case,
            ended_on=fields["ended_on"],
            reason=fields["end_reason"],
            breached_term=fields["breached_term"],
            note=fields["note"],
        )
        return self._out(case)

    @extend_schema(request=OutcomeInput, responses={200: ExitCaseOutput})
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        """Convicted of violent crime within two years after the end?"""
        case = self._case(pk, CHANGE)
        services.outcome_record(
            actor=request.user, case=case, **validated(OutcomeInput, request.data)
        )
        return self._out(case)

    # The phases' records.

    @extend_schema(methods=["GET"], request=None, responses={200: PoliceMappingOutput})
    @extend_schema(
        methods=["PUT"],
        request=PoliceMappingInput,
        responses={200: PoliceMappingOutput, 201: PoliceMappingOutput},
    )
    @action(detail=True, methods=["get", "put"], url_path="police-mapping")
    def police_mapping(self, request, pk=None):
        """The police mapping with the security and risk assessment, for the exit
        unit and the police exit contact only (R-EXIT-3; 404 for everybody else
        and while none is recorded). PUT: the police exit contact records or
        corrects it in the police-mapping phase."""
        case = self._case(pk)
        if request.method == "GET":
            mapping = selectors.police_mapping_of(user=request.user, case=case)
            if mapping is None:
                raise Http404
            return Response(PoliceMappingOutput(mapping).data)
        require(can_record_conversations(request.user, case.police_agency))
        exists = selectors.police_mapping_of(user=request.user, case=case) is not None
        if exists:
            selectors.police_mapping_for(user=request.user, case=case, action=CHANGE)
        mapping = services.police_mapping_record(
            actor=request.user, case=case, **validated(PoliceMappingInput, request.data)
        )
        return Response(
            PoliceMappingOutput(mapping).data,
            status=status.HTTP_200_OK if exists else status.HTTP_201_CREATED,
        )

    @extend_schema(
        methods=["GET"], request=None, responses={200: MunicipalMappingOutput}
    )
    @extend_schema(
        methods=["PUT"],
        request=MunicipalMappingInput,
        responses={200: MunicipalMappingOutput},
    )
    @action(detail=True, methods=["get", "put"], url_path="municipal-mapping")
    def municipal_mapping(self, request, pk=None):
        """The municipal mapping (404 while none is recorded); PUT records or
        corrects it in its phase (the exit coordinator)."""
        if request.method == "GET":
            case = self._case(pk)
            mapping = selectors.municipal_mapping_of(user=request.user, case=case)
            if mapping is None:
                raise Http404
            return Response(MunicipalMappingOutput(mapping).data)
        case = self._case(pk, CHANGE)
        mapping = services.municipal_mapping_record(
            actor=request.user,
            case=case,
            **validated(MunicipalMappingInput, request.data),
        )
        return Response(MunicipalMappingOutput(mapping).data)

    @extend_schema(methods=["GET"], request=None, responses={200: ClarificationOutput})
    @extend_schema(
        methods=["PUT"],
        request=ClarificationInput,
        responses={200: ClarificationOutput},
    )
    @action(detail=True, methods=["get", "put"])
    def clarification(self, request, pk=None):
        """The clarification conversation (404 while none is recorded); PUT
        records or corrects it in its phase (the exit coordinator)."""
        if request.method == "GET":
            case = self._case(pk)
            found = selectors.clarification_of(user=request.user, case=case)
            if found is None:
                raise Http404
            return Response(ClarificationOutput(found).data)
        case = self._case(pk, CHANGE)
        found = services.clarification_record(
            actor=request.user, case=case, **validated(ClarificationInput, request.data)
        )
        return Response(ClarificationOutput(found).data)

    # Follow-up while the programme runs.

    @extend_schema(
        methods=["GET"], request=None, responses={200: FollowUpMeetingOutput(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        request=FollowUpMeetingInput,
        responses={201: FollowUpMeetingOutput},
    )
    @action(detail=True, methods=["get", "post"], url_path="follow-up-meetings")
    def follow_up_meetings(self, request, pk=None):
        """Evaluation and support meetings, with notes and attendance."""
        if request.method == "GET":
            case = self._case(pk)
            found = selectors.follow_up_meetings_of(user=request.user, case=case)
            return self._page(
                found.select_related("recorded_by"), FollowUpMeetingOutput
            )
        case = self._case(pk, CHANGE)
        meeting = services.follow_up_meeting_add(
            actor=request.user,
            case=case,
            **validated(FollowUpMeetingInput, request.data),
        )
        return Response(
            FollowUpMeetingOutput(meeting).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: MentorAssignmentOutput(many=True)},
    )
    @extend_schema(
        methods=["POST"], request=MentorInput, responses={201: MentorAssignmentOutput}
    )
    @action(detail=True, methods=["get", "post"])
    def mentors(self, request, pk=None):
        """The mentors, newest first; a new one ends the current assignment."""
        if request.method == "GET":
            case = self._case(pk)
            found = selectors.mentors_of(user=request.user, case=case)
            return self._page(found, MentorAssignmentOutput)
        case = self._case(pk, CHANGE)
        assignment = services.mentor_assign(
            actor=request.user, case=case, **validated(MentorInput, request.data)
        )
        return Response(
            MentorAssignmentOutput(assignment).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        methods=["GET"], request=None, responses={200: MentorSessionOutput(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        request=MentorSessionInput,
        responses={201: MentorSessionOutput},
    )
    @action(detail=True, methods=["get", "post"], url_path="mentor-sessions")
    def mentor_sessions(self, request, pk=None):
        """Mentor sessions: check-in, summary of the last session, today's agenda,
        wrap-up and the next meeting."""
        if request.method == "GET":
            case = self._case(pk)
            found = selectors.mentor_sessions_of(user=request.user, case=case)
            return self._page(found.select_related("recorded_by"), MentorSessionOutput)
        case = self._case(pk, CHANGE)
        fields = validated(MentorSessionInput, request.data)
        assignment_id = fields.pop("assignment")
        assignment = field_lookup(
            "assignment",
            lambda: get_object_or_404(
                selectors.mentors_of(user=request.user, case=case), pk=assignment_id
            ),
        )
        session = services.mentor_session_add(
            actor=request.user, assignment=assignment, **fields
        )
        return Response(
            MentorSessionOutput(session).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: NecNotificationOutput(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        request=NecNotificationInput,
        responses={201: NecNotificationOutput},
    )
    @action(detail=True, methods=["get", "post"], url_path="nec-notifications")
    def nec_notifications(self, request, pk=None):
        """That NEC was told of an enrolment, a change or the termination."""
        if request.method == "GET":
            case = self._case(pk)
            found = selectors.nec_notifications_of(user=request.user, case=case)
            return self._page(found, NecNotificationOutput)
        case = self._case(pk, CHANGE)
        notification = services.nec_notify(
            actor=request.user,
            case=case,
            **validated(NecNotificationInput, request.data),
        )
        return Response(
            NecNotificationOutput(notification).data, status=status.HTTP_201_CREATED
        )


# --- Agreements -----------------------------------------------------------------------


class ExitAgreementViewSet(viewsets.GenericViewSet):
    """The cooperation agreement's versions (`?case=` required). A draft is
    edited; a signed version is locked (a change makes a new draft version and
    keeps the old one)."""

    serializer_class = AgreementOutput
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return Agreement.objects.none()  # every read goes through a selector

    def _one(self, pk, action: str = VIEW) -> Agreement:
        return selectors.agreement_for(user=self.request.user, pk=pk, action=action)

    def _detail(self, agreement, *, code: int = status.HTTP_200_OK) -> Response:
        user = self.request.user
        context = {
            "measures": selectors.measures_of(user=user, agreement=agreement),
            "versions": selectors.agreements_of(user=user, case=agreement.case),
        }
        return Response(
            AgreementDetailOutput(agreement, context=context).data, status=code
        )

    @extend_schema(
        parameters=[CaseRefInput], responses={200: AgreementOutput(many=True)}
    )
    def list(self, request):
        case = selectors.case_for(
            user=request.user, pk=validated(CaseRefInput, request.query_params)["case"]
        )
        page = self.paginate_queryset(
            selectors.agreements_of(user=request.user, case=case)
        )
        return self.get_paginated_response(AgreementOutput(page, many=True).data)

    @extend_schema(responses={200: AgreementDetailOutput})
    def retrieve(self, request, pk=None):
        """The version with its measures and the case's version history."""
        return self._detail(self._one(pk))

    @extend_schema(request=AgreementUpdateInput, responses={200: AgreementDetailOutput})
    def update(self, request, pk=None):
        """Change the parties and the consequences of a draft (a signed version
        is locked: 400)."""
        agreement = self._one(pk, CHANGE)
        services.agreement_update(
            actor=request.user,
            agreement=agreement,
            **validated(AgreementUpdateInput, request.data),
        )
        return self._detail(agreement)

    @extend_schema(request=AgreementSignInput, responses={200: AgreementDetailOutput})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Both have signed: the version is locked, an earlier signed version is
        superseded, each authority gets its measure once the person's consent
        covers it (R-EXIT-2), and the case becomes active."""
        agreement = self._one(pk, CHANGE)
        services.agreement_sign(
            actor=request.user,
            agreement=agreement,
            **validated(AgreementSignInput, request.data),
        )
        return self._detail(agreement)

    @extend_schema(request=AgreementSentInput, responses={200: AgreementDetailOutput})
    @action(detail=True, methods=["post"], url_path="mark-sent")
    def mark_sent(self, request, pk=None):
        """When the signed version went to the police exit unit and to NEC."""
        agreement = self._one(pk, CHANGE)
        services.agreement_mark_sent(
            actor=request.user,
            agreement=agreement,
            **validated(AgreementSentInput, request.data),
        )
        return self._detail(agreement)

    @extend_schema(request=None, responses={201: AgreementDetailOutput})
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        """A new draft version from the latest signed one, with its measures; the
        signed version stays as it was."""
        agreement = self._one(pk, CHANGE)
        draft = services.agreement_revise(actor=request.user, case=agreement.case)
        return self._detail(self._one(draft.pk), code=status.HTTP_201_CREATED)


# --- Measures -------------------------------------------------------------------------


class ExitMeasureViewSet(viewsets.GenericViewSet):
    """The agreement's measures. Without `?agreement=`: the signed measures the
    caller's authority answers for (a job centre's worklist), each with the
    person's name and nothing of the case. The exit coordinator adds and removes
    measures of a draft; the responsible authority (or the exit unit) keeps the
    status."""

    serializer_class = ExitMeasureOutput
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return AgreementMeasure.objects.none()  # every read goes through a selector

    @extend_schema(
        parameters=[ExitMeasureFilterInput],
        responses={200: ExitMeasureOutput(many=True)},
    )
    def list(self, request):
        filters = validated(ExitMeasureFilterInput, request.query_params)
        if filters.get("agreement"):
            agreement = selectors.agreement_for(
                user=request.user, pk=filters["agreement"]
            )
            found = selectors.measures_of(user=request.user, agreement=agreement)
        else:
            found = selectors.measures_for_agency(user=request.user)
        page = self.paginate_queryset(found.select_related("person"))
        return self.get_paginated_response(ExitMeasureOutput(page, many=True).data)

    @extend_schema(responses={200: ExitMeasureOutput})
    def retrieve(self, request, pk=None):
        measure = selectors.measure_for(user=request.user, pk=pk)
        return Response(ExitMeasureOutput(measure).data)

    @extend_schema(request=ExitMeasureInput, responses={201: ExitMeasureOutput})
    def create(self, request):
        """Add a measure to a draft agreement: the authority answering for it,
        its contact, start date and time frame."""
        fields = validated(ExitMeasureInput, request.data)
        agreement_id = fields.pop("agreement")
        agreement = field_lookup(
            "agreement",
            lambda: selectors.agreement_for(
                user=request.user, pk=agreement_id, action=CHANGE
            ),
        )
        measure = services.agreement_measure_add(
            actor=request.user, agreement=agreement, **fields
        )
        measure = selectors.measure_for(user=request.user, pk=measure.pk)
        return Response(ExitMeasureOutput(measure).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, pk=None):
        """Remove a measure from a draft (an exit coordinator; a signed version is
        locked: 400)."""
        measure = selectors.measure_for(user=request.user, pk=pk, action=CHANGE)
        require(can_coordinate_exit(request.user))
        services.agreement_measure_remove(actor=request.user, measure=measure)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ExitMeasureStatusInput, responses={200: ExitMeasureOutput})
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        """Planned, started, completed or stopped, as of a day: also after the
        programme ended, until the authority closes it."""
        measure = selectors.measure_for(user=request.user, pk=pk, action=CHANGE)
        fields = validated(ExitMeasureStatusInput, request.data)
        services.measure_set_status(
            actor=request.user,
            measure=measure,
            status=fields["status"],
            status_on=fields.get("status_on") or timezone.localdate(),
        )
        return Response(ExitMeasureOutput(measure).data)


# --- Weekly police reports ------------------------------------------------------------


class ExitWeeklyReportViewSet(viewsets.GenericViewSet):
    """Weekly police reports: the police liaison's list to make (`?mine=1`) or a
    case's reports (`?case=`). The district police agency records them."""

    serializer_class = WeeklyReportOutput
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return WeeklyReport.objects.none()  # every read goes through a selector

    @extend_schema(
        parameters=[WeeklyReportFilterInput],
        responses={200: WeeklyReportOutput(many=True)},
        description="Exactly one of `mine` or `case`.",
    )
    def list(self, request):
        filters = validated(WeeklyReportFilterInput, request.query_params)
        user = request.user
        if filters.get("case"):
            case = selectors.case_for(user=user, pk=filters["case"])
            found = selectors.weekly_reports_of(user=user, case=case)
        elif filters.get("mine"):
            found = selectors.reports_to_make(user=user)
        else:
            raise serializers.ValidationError(
                {"case": [_("Choose a case, or the reports you are to make.")]}
            )
        page = self.paginate_queryset(found.select_related("person", "reported_by"))
        return self.get_paginated_response(WeeklyReportOutput(page, many=True).data)

    @extend_schema(responses={200: WeeklyReportOutput})
    def retrieve(self, request, pk=None):
        report = selectors.report_for(user=request.user, pk=pk)
        return Response(WeeklyReportOutput(report).data)

    @extend_schema(request=WeeklyReportInput, responses={200: WeeklyReportOutput})
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """Encountered in an incident of criminal nature this week: yes (with a
        description) or no."""
        report = selectors.report_for(user=request.user, pk=pk, action=CHANGE)
        services.weekly_report_record(
            actor=request.user,
            report=report,
            **validated(WeeklyReportInput, request.data),
        )
        return Response(WeeklyReportOutput(report).data)
