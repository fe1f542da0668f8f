"""The staff API: departments and doctors (scheduling adds a doctor's free slots)."""

from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

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
