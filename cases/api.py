"""/api/v1/persons/: the same access functions and services as the pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from access.legal import LegalBasis
from access.permissions import CHANGE, can_record_cases, get_visible_or_404
from organisations.models import Municipality
from organisations.selectors import acting_membership

from . import services
from .models import ConcernLevel, ConcernLevelChange, Person
from .selectors import concern_history, persons_visible_to


class PersonOutput(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.name")
    cpr = serializers.CharField(source="cpr_masked", help_text="Masked: ddmmyy-xxxx")
    recorded_by = serializers.CharField(source="recorded_by.name")

    class Meta:
        model = Person
        fields = [
            "id",
            "cpr",
            "concern_level",
            "given_name",
            "family_name",
            "date_of_birth",
            "municipality",
            "recorded_by",
            "legal_basis",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PersonCreateInput(serializers.Serializer):
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


class PersonUpdateInput(serializers.Serializer):
    given_name = serializers.CharField(max_length=100, required=False)
    family_name = serializers.CharField(max_length=100, required=False)
    date_of_birth = serializers.DateField(required=False, allow_null=True)


class ConcernLevelChangeOutput(serializers.ModelSerializer):
    set_by = serializers.CharField(source="set_by.username")
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
        """The full CPR number, for a user who may change the person; audited."""
        person = get_visible_or_404(request.user, Person, pk=pk, action=CHANGE)
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
        membership = acting_membership(user=request.user, session=request.session)
        if membership is None:
            raise PermissionDenied
        change = services.person_set_concern_level(
            actor=request.user,
            agency=membership.agency,
            person=person,
            **data.validated_data,
        )
        return Response(
            ConcernLevelChangeOutput(change).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=PersonUpdateInput, responses={200: PersonOutput})
    def partial_update(self, request, pk=None):
        person = self.get_object()
        data = PersonUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        person = services.person_update(
            actor=request.user, person=person, **data.validated_data
        )
        return Response(PersonOutput(person).data)
