"""/api/v1/me/ and /api/v1/agencies/: the organisational directory (no case data)."""

from __future__ import annotations

from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Agency, Membership
from .selectors import membership_list


class AgencyOutput(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.name", default=None)
    police_district = serializers.CharField(source="police_district.name", default=None)

    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "municipality", "police_district"]


class MembershipOutput(serializers.ModelSerializer):
    agency = AgencyOutput()

    class Meta:
        model = Membership
        fields = ["id", "role", "agency"]


class MeOutput(serializers.Serializer):
    id = serializers.UUIDField()
    username = serializers.CharField()
    memberships = MembershipOutput(many=True)


class MeView(APIView):
    """The caller and its roles."""

    serializer_class = MeOutput

    def get(self, request):
        user = request.user
        return Response(
            MeOutput(
                {
                    "id": user.pk,
                    "username": user.get_username(),
                    "memberships": membership_list(user=user),
                }
            ).data
        )


class AgencyViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every agency: staff need the directory to know whom they cooperate with."""

    serializer_class = AgencyOutput
    queryset = Agency.objects.select_related("municipality", "police_district")
