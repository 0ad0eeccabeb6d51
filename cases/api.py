"""/api/v1/persons/: the same access functions and services as the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from access.legal import LegalBasis
from access.permissions import (
    CHANGE,
    acting_agency,
    can_record_cases,
    get_visible_or_404,
)
from accounts.fresh import require_fresh_authentication
from families.alerts import sibling_alerts
from organisations.models import Municipality
from organisations.selectors import acting_membership
from timeline.models import TimelineEntry
from timeline.selectors import timeline_for

from . import services
from .models import (
    ConcernLevel,
    ConcernLevelChange,
    Factor,
    Person,
    PersonFactor,
    PersonStatus,
)
from .selectors import (
    concern_history,
    factors_of,
    listed_persons,
    persons_visible_to,
)


class PersonOutput(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.name")
    cpr = serializers.CharField(source="cpr_masked", help_text="Masked: ddmmyy-xxxx")
    recorded_by = serializers.CharField(source="recorded_by.name")
    age = serializers.IntegerField(allow_null=True)
    address = serializers.CharField(
        help_text="Empty when the person has name and address protection: a "
        "protected address is never recorded."
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "cpr",
            "concern_level",
            "given_name",
            "family_name",
            "date_of_birth",
            "age",
            "address_protected",
            "address",
            "school",
            "phone",
            "email",
            "status",
            "closed_on",
            "closed_reason",
            "municipality",
            "recorded_by",
            "legal_basis",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


ADDRESS_PROTECTED = _(
    "The person has address protection: leave the address empty. "
    "It is not recorded in Tværs."
)


class PersonDetailsInput(serializers.Serializer):
    """The fields person_create and person_update share."""

    address_protected = serializers.BooleanField(required=False)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    school = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)

    def validate(self, data):
        if data.get("address_protected") and data.get("address"):
            raise serializers.ValidationError({"address": ADDRESS_PROTECTED})
        return data


class PersonCreateInput(PersonDetailsInput):
    given_name = serializers.CharField(max_length=100, label=_("given name"))
    family_name = serializers.CharField(max_length=100, label=_("family name"))
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    cpr = serializers.CharField(
        required=False, allow_blank=True, max_length=11, label=_("CPR number")
    )
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), label=_("municipality")
    )
    legal_basis = serializers.ChoiceField(
        choices=LegalBasis.choices, default=LegalBasis.OWN_TASK
    )


class PersonUpdateInput(PersonDetailsInput):
    given_name = serializers.CharField(max_length=100, required=False)
    family_name = serializers.CharField(max_length=100, required=False)
    date_of_birth = serializers.DateField(required=False, allow_null=True)


class PersonFilterInput(serializers.Serializer):
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), required=False
    )
    concern_level = serializers.ChoiceField(
        choices=ConcernLevel.choices, required=False
    )
    school = serializers.CharField(max_length=100, required=False)
    status = serializers.ChoiceField(choices=PersonStatus.choices, required=False)


class CloseInput(serializers.Serializer):
    closed_on = serializers.DateField()
    reason = serializers.CharField(max_length=2000)


class FactorOutput(serializers.ModelSerializer):
    factor = serializers.CharField(source="factor.name")
    kind = serializers.CharField(source="factor.kind")
    agency = serializers.CharField(source="agency.name")

    class Meta:
        model = PersonFactor
        fields = [
            "id",
            "factor",
            "kind",
            "observed_on",
            "note",
            "agency",
            "legal_basis",
            "ended_on",
            "end_note",
        ]
        read_only_fields = fields


class FactorInput(serializers.Serializer):
    factor = serializers.PrimaryKeyRelatedField(
        queryset=Factor.objects.filter(active=True)
    )
    observed_on = serializers.DateField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    legal_basis = serializers.ChoiceField(
        choices=LegalBasis.choices, default=LegalBasis.OWN_TASK
    )


class FactorEndInput(serializers.Serializer):
    ended_on = serializers.DateField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class TimelineEntryOutput(serializers.ModelSerializer):
    label = serializers.CharField()
    description = serializers.CharField()
    agency = serializers.CharField(source="agency.name")

    class Meta:
        model = TimelineEntry
        fields = [
            "id",
            "kind",
            "label",
            "description",
            "detail",
            "occurred_at",
            "agency",
            "legal_basis",
        ]
        read_only_fields = fields


class SiblingAlertOutput(serializers.Serializer):
    sibling = serializers.UUIDField(source="sibling.pk")
    name = serializers.CharField(source="sibling.full_name")
    reasons = serializers.ListField(child=serializers.CharField())


class ConcernLevelChangeOutput(serializers.ModelSerializer):
    set_by = serializers.CharField(source="set_by.name_and_title")
    agency = serializers.CharField(source="agency.name")

    class Meta:
        model = ConcernLevelChange
        fields = ["id", "level", "reason", "set_by", "agency", "legal_basis", "set_at"]
        read_only_fields = fields


class ConcernLevelInput(serializers.Serializer):
    level = serializers.ChoiceField(choices=ConcernLevel.choices)
    reason = serializers.CharField(max_length=2000)


class CprOutput(serializers.Serializer):
    cpr = serializers.CharField()


class PersonSearchInput(serializers.Serializer):
    q = serializers.CharField(max_length=100, label=_("name"))


class PersonViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Persons the caller's agencies may see. Searching by name is a POST to
    `search/` with {"q": "..."}: a name never travels in a URL."""

    serializer_class = PersonOutput
    lookup_value_converter = "uuid"

    @extend_schema(parameters=[PersonFilterInput])
    def list(self, request):
        filters = PersonFilterInput(data=request.query_params)
        filters.is_valid(raise_exception=True)
        people = listed_persons(user=request.user, **filters.validated_data)
        page = self.paginate_queryset(people)
        return self.get_paginated_response(PersonOutput(page, many=True).data)

    def get_queryset(self):
        return persons_visible_to(user=self.request.user)

    @extend_schema(request=PersonSearchInput, responses={200: PersonOutput(many=True)})
    @action(detail=False, methods=["post"])
    def search(self, request):
        data = PersonSearchInput(data=request.data)
        data.is_valid(raise_exception=True)
        people = persons_visible_to(user=request.user, query=data.validated_data["q"])
        page = self.paginate_queryset(people)
        return self.get_paginated_response(PersonOutput(page, many=True).data)

    def get_object(self):
        action = CHANGE if self.request.method in ("PATCH", "PUT") else "view"
        return get_visible_or_404(
            self.request.user, Person, pk=self.kwargs["pk"], action=action
        )

    @extend_schema(request=PersonCreateInput, responses={201: PersonOutput})
    def create(self, request):
        membership = acting_membership(user=request.user, session=request.session)
        if membership is None or not can_record_cases(request.user, membership.agency):
            raise PermissionDenied
        data = PersonCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        person = services.person_create(
            actor=request.user, agency=membership.agency, **data.validated_data
        )
        return Response(PersonOutput(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: CprOutput})
    @action(detail=True, methods=["post"], url_path="reveal-cpr")
    def reveal_cpr(self, request, pk=None):
        """The full CPR number, for a user who may change the person; audited.
        Needs fresh authentication: a recent sign-in in the session, or the current
        two-factor code in the X-Tvaers-OTP header."""
        person = get_visible_or_404(request.user, Person, pk=pk, action=CHANGE)
        require_fresh_authentication(request)
        return Response(
            {"cpr": services.person_reveal_cpr(actor=request.user, person=person)}
        )

    @extend_schema(request=None, responses={200: ConcernLevelChangeOutput(many=True)})
    @action(detail=True, methods=["get"], url_path="concern-levels")
    def concern_levels(self, request, pk=None):
        """The person's concern-level history, newest first."""
        person = get_visible_or_404(request.user, Person, pk=pk)
        page = self.paginate_queryset(concern_history(user=request.user, person=person))
        return self.get_paginated_response(
            ConcernLevelChangeOutput(page, many=True).data
        )

    @extend_schema(request=ConcernLevelInput, responses={201: ConcernLevelChangeOutput})
    @action(detail=True, methods=["post"], url_path="concern-level")
    def set_concern_level(self, request, pk=None):
        """Set the concern level with a reason (the caller may change the person)."""
        person = get_visible_or_404(request.user, Person, pk=pk, action=CHANGE)
        data = ConcernLevelInput(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.person_set_concern_level(
            actor=request.user,
            agency=acting_agency(request),
            person=person,
            **data.validated_data,
        )
        return Response(
            ConcernLevelChangeOutput(change).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=CloseInput, responses={200: PersonOutput})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the record with a date and a reason."""
        person = get_visible_or_404(request.user, Person, pk=pk, action=CHANGE)
        data = CloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.person_close(
            actor=request.user,
            agency=acting_agency(request),
            person=person,
            **data.validated_data,
        )
        return Response(PersonOutput(person).data)

    @extend_schema(request=None, responses={200: PersonOutput})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        person = get_visible_or_404(request.user, Person, pk=pk, action=CHANGE)
        services.person_reopen(
            actor=request.user, agency=acting_agency(request), person=person
        )
        return Response(PersonOutput(person).data)

    @extend_schema(
        methods=["GET"], request=None, responses={200: FactorOutput(many=True)}
    )
    @extend_schema(methods=["POST"], request=FactorInput, responses={201: FactorOutput})
    @action(detail=True, methods=["get", "post"])
    def factors(self, request, pk=None):
        """The person's risk and protective factors (GET), or record one (POST)."""
        if request.method == "GET":
            person = get_visible_or_404(request.user, Person, pk=pk)
            page = self.paginate_queryset(factors_of(user=request.user, person=person))
            return self.get_paginated_response(FactorOutput(page, many=True).data)
        person = get_visible_or_404(request.user, Person, pk=pk, action=CHANGE)
        data = FactorInput(data=request.data)
        data.is_valid(raise_exception=True)
        observed = services.factor_record(
            actor=request.user,
            agency=acting_agency(request),
            person=person,
            **data.validated_data,
        )
        return Response(FactorOutput(observed).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FactorEndInput, responses={200: FactorOutput})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"factors/(?P<factor_id>[0-9a-f-]{36})/end",
    )
    def end_factor(self, request, pk=None, factor_id=None):
        """End a current factor (it no longer applies from `ended_on`)."""
        person = get_visible_or_404(request.user, Person, pk=pk, action=CHANGE)
        observed = get_object_or_404(
            factors_of(user=request.user, person=person), pk=factor_id, ended_on=None
        )
        data = FactorEndInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.factor_end(
            actor=request.user,
            agency=acting_agency(request),
            observed=observed,
            **data.validated_data,
        )
        return Response(FactorOutput(observed).data)

    @extend_schema(request=None, responses={200: TimelineEntryOutput(many=True)})
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        """Everything recorded about the person that the caller may see, newest
        first, each with its agency and legal basis."""
        person = get_visible_or_404(request.user, Person, pk=pk)
        page = self.paginate_queryset(timeline_for(user=request.user, person=person))
        return self.get_paginated_response(TimelineEntryOutput(page, many=True).data)

    @extend_schema(request=None, responses={200: SiblingAlertOutput(many=True)})
    @action(detail=True, methods=["get"], url_path="sibling-alerts")
    def sibling_alerts(self, request, pk=None):
        """Siblings with a fact the caller may see (red, Exit, §115 stk. 5)."""
        person = get_visible_or_404(request.user, Person, pk=pk)
        alerts = sibling_alerts(user=request.user, person=person)
        return Response(SiblingAlertOutput(alerts, many=True).data)

    @extend_schema(request=None, responses={204: None})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"relations/(?P<relation_id>[0-9a-f-]{36})",
    )
    def remove_relation(self, request, pk=None, relation_id=None):
        """Remove a relation recorded in error (the caller may change the person)."""
        from families.selectors import relation_of
        from families.services import relation_remove

        person = get_visible_or_404(request.user, Person, pk=pk, action=CHANGE)
        relation_remove(
            actor=request.user,
            agency=acting_agency(request),
            relation=relation_of(
                user=request.user, person=person, relation_id=relation_id
            ),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=PersonUpdateInput, responses={200: PersonOutput})
    def partial_update(self, request, pk=None):
        person = self.get_object()
        data = PersonUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        person = services.person_update(
            actor=request.user, person=person, **data.validated_data
        )
        return Response(PersonOutput(person).data)
