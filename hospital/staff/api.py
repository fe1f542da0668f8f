"""The staff API: departments, doctors and a doctor's free slots for a day."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import router
from scheduling.slots import available_slots
from staff.models import Department, Doctor


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "code"]


class DoctorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="profile.user.get_full_name", read_only=True)
    department = DepartmentSerializer(source="profile.department", read_only=True)

    class Meta:
        model = Doctor
        fields = ["id", "name", "specialty", "department"]


class SlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class SlotQuerySerializer(serializers.Serializer):
    day = serializers.DateField(help_text="The day, YYYY-MM-DD.")


class DoctorFilter(filters.FilterSet):
    department = filters.ModelChoiceFilter(
        field_name="profile__department", queryset=Department.objects.all()
    )

    class Meta:
        model = Doctor
        fields = ["department"]


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Department.objects.order_by("name")
    serializer_class = DepartmentSerializer


class DoctorViewSet(viewsets.ReadOnlyModelViewSet):
    """Doctors (any signed-in user: the portal needs them to book)."""

    queryset = Doctor.objects.with_people()
    serializer_class = DoctorSerializer
    filterset_class = DoctorFilter
    search_fields = ["profile__user__full_name", "specialty"]

    @extend_schema(
        parameters=[OpenApiParameter("day", str, required=True, description="YYYY-MM-DD")],
        responses=SlotSerializer(many=True),
        summary="Free slots of this doctor on a day",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def slots(self, request, pk=None):
        query = SlotQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        slots = available_slots(self.get_object(), query.validated_data["day"])
        return Response(SlotSerializer(slots, many=True).data)


router.register("departments", DepartmentViewSet, basename="department")
router.register("doctors", DoctorViewSet, basename="doctor")
