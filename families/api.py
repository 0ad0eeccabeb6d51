"""/api/v1/families/: the same access functions and services as the pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from access.legal import LegalBasis
from access.permissions import (
    CHANGE,
    acting_agency,
    can_record_cases,
    get_visible_or_404,
    visible,
)
from audit.models import Action
from cases.models import Person
from organisations.models import Municipality

from . import services
from .member_cases import cases_of
from .models import Family, MemberRole, Relation, RelationKind
from .selectors import families_visible_to, family_members


class FamilyOutput(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.name")
    recorded_by = serializers.CharField(source="recorded_by.name")

    class Meta:
        model = Family
        fields = ["id", "name", "municipality", "recorded_by", "legal_basis"]
        read_only_fields = fields


class MemberOutput(serializers.Serializer):
    person = serializers.UUIDField(source="person.pk")
    name = serializers.CharField(source="person.full_name")
    role = serializers.ChoiceField(choices=MemberRole.choices)
    age = serializers.IntegerField(source="person.age", allow_null=True)
    concern_level = serializers.CharField(source="person.concern_level")
    status = serializers.CharField(source="person.status")
    cases = serializers.ListField(child=serializers.CharField())


class FamilyDetailOutput(FamilyOutput):
    members = serializers.SerializerMethodField()

    class Meta(FamilyOutput.Meta):
        fields = [*FamilyOutput.Meta.fields, "members"]
        read_only_fields = fields

    @extend_schema(responses=MemberOutput(many=True))
    def get_members(self, family) -> list:
        return MemberOutput(self.context["members"], many=True).data


class FamilyInput(serializers.Serializer):
    name = serializers.CharField(max_length=150, label=_("name"))
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), label=_("municipality")
    )
    legal_basis = serializers.ChoiceField(
        choices=LegalBasis.choices, default=LegalBasis.OWN_TASK
    )


class MemberInput(serializers.Serializer):
    """Either `person` (an existing person the caller may see) or the fields of a
    new person (given_name, family_name, cpr, date_of_birth)."""

    role = serializers.ChoiceField(choices=MemberRole.choices)
    sibling_of_children = serializers.BooleanField(default=True)
    person = serializers.UUIDField(required=False)
    given_name = serializers.CharField(max_length=100, required=False)
    family_name = serializers.CharField(max_length=100, required=False)
    cpr = serializers.CharField(max_length=11, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)

    def validate(self, data):
        if not data.get("person") and not (
            data.get("given_name") and data.get("family_name")
        ):
            raise serializers.ValidationError(
                {"person": _("Name an existing person or give the new person's name.")}
            )
        return data


class RelationInput(serializers.Serializer):
    person = serializers.UUIDField()
    relative = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=RelationKind.choices)


class RelationOutput(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name")

    class Meta:
        model = Relation
        fields = ["id", "person", "relative", "kind", "agency", "legal_basis"]
        read_only_fields = fields


class FamilyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Families (households) the caller's agencies may see, with the members the
    caller may see."""

    serializer_class = FamilyOutput
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return families_visible_to(user=self.request.user)

    def _detail(self, request, family):
        members = list(family_members(user=request.user, family=family))
        cases = cases_of(user=request.user, person_ids=[m.person_id for m in members])
        for member in members:
            member.cases = [str(c) for c in cases.get(member.person_id, [])]
        return FamilyDetailOutput(family, context={"members": members}).data

    @extend_schema(responses={200: FamilyDetailOutput})
    def retrieve(self, request, pk=None):
        family = get_visible_or_404(request.user, Family, pk=pk)
        return Response(self._detail(request, family))

    @extend_schema(request=FamilyInput, responses={201: FamilyOutput})
    def create(self, request):
        agency = acting_agency(request)
        if not can_record_cases(request.user, agency):
            raise PermissionDenied
        data = FamilyInput(data=request.data)
        data.is_valid(raise_exception=True)
        family = services.family_create(
            actor=request.user, agency=agency, **data.validated_data
        )
        return Response(FamilyOutput(family).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemberInput, responses={201: FamilyDetailOutput})
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        """Add a member: an existing person by id, or a new person."""
        family = get_visible_or_404(request.user, Family, pk=pk, action=CHANGE)
        agency = acting_agency(request)
        data = MemberInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        role = fields.pop("role")
        siblings = fields.pop("sibling_of_children")
        person_id = fields.pop("person", None)
        if person_id:
            person = get_visible_or_404(request.user, Person, pk=person_id)
            services.family_add_member(
                actor=request.user,
                agency=agency,
                family=family,
                person=person,
                role=role,
                sibling_of_children=siblings,
            )
        else:
            services.family_add_new_person(
                actor=request.user,
                agency=agency,
                family=family,
                role=role,
                sibling_of_children=siblings,
                **fields,
            )
        return Response(self._detail(request, family), status=status.HTTP_201_CREATED)

    @extend_schema(request=RelationInput, responses={201: RelationOutput})
    @action(detail=True, methods=["post"])
    def relations(self, request, pk=None):
        """Record a typed relation between two persons the caller may see."""
        family = get_visible_or_404(request.user, Family, pk=pk, action=CHANGE)
        data = RelationInput(data=request.data)
        data.is_valid(raise_exception=True)
        ids = [data.validated_data["person"], data.validated_data["relative"]]
        people = {
            p.pk: p
            for p in visible(
                request.user, Person.objects.filter(pk__in=ids), audit=Action.VIEW
            )
        }
        if len(people) != len(set(ids)):
            raise ValidationError({"relative": [_("No such person.")]})
        relation = services.relation_record(
            actor=request.user,
            agency=acting_agency(request),
            person=people[ids[0]],
            relative=people[ids[1]],
            kind=data.validated_data["kind"],
            legal_basis=family.legal_basis,
        )
        return Response(RelationOutput(relation).data, status=status.HTTP_201_CREATED)
