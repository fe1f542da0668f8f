"""The patients API: /api/v1/patients/, and the logged read every patient record API shares."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from core.roles import DESK
from patients import services
from patients.access import can_manage_registration
from patients.models import AccessAction, Patient
from shared.accounts.roles import HasRole


class LoggedRetrieveMixin:
    """``retrieve()`` writes a read to the patient's access log, then answers as usual.

    Every API of a patient's record (registration, appointments, clinical records,
    invoices) mixes it in, so reading one record through the API leaves the same trace
    as opening its page. A viewset says whose record an instance is in ``patient_of``.
    """

    def patient_of(self, instance) -> Patient:
        return instance.patient

    def logged_object(self, instance):
        """What the log entry names (the instance; None means the patient record itself)."""
        return instance

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        instance = self.get_object()
        services.log_access(
            user=request.user,
            patient=self.patient_of(instance),
            action=AccessAction.READ,
            obj=self.logged_object(instance),
            client_ip=request.client_ip,
        )
        return Response(self.get_serializer(instance).data)


class PatientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Patient
        fields = [
            "id",
            "medical_record_number",
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "phone",
            "email",
            "address",
            "registered_at",
        ]
        read_only_fields = ["id", "medical_record_number", "registered_at"]


class PortalLinkSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="The email of the account the patient registered.")


class DeskRegisters(permissions.BasePermission):
    """Only the desk registers patients. (Editing is limited in get_queryset, so that a
    record the user may not edit answers 404 like any record they may not see.)"""

    def has_permission(self, request, view) -> bool:
        if view.action != "create":
            return True
        return HasRole.of(*DESK)().has_permission(request, view)


@extend_schema_view(
    list=extend_schema(summary="Patients you may see (search with ?search=)"),
    retrieve=extend_schema(summary="One patient's registration record (logged as a read)"),
)
class PatientViewSet(
    LoggedRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Registration records. Outside ``Patient.objects.visible_to(user)`` a record is a 404."""

    serializer_class = PatientSerializer
    permission_classes = [permissions.IsAuthenticated, DeskRegisters]
    filter_backends: list = []  # the search goes through PatientQuerySet.search, like the desk

    def get_queryset(self):
        queryset = Patient.objects.visible_to(self.request.user)
        if self.action in ("update", "partial_update") and not can_manage_registration(
            self.request.user
        ):
            return queryset.none()
        if self.action == "list":
            queryset = queryset.search(self.request.query_params.get("search", ""))
        return queryset

    def patient_of(self, instance: Patient) -> Patient:
        return instance

    def logged_object(self, instance: Patient) -> None:
        return None  # the registration record itself

    @extend_schema(request=PortalLinkSerializer, responses=PatientSerializer)
    @action(detail=True, methods=["post"], url_path="link-portal")
    def link_portal(self, request, pk=None):
        """Link the patient's own (already registered) account: portal access. The desk only."""
        if not can_manage_registration(request.user):
            raise NotFound  # like an edit: for anyone else the record is not there
        patient = self.get_object()
        data = PortalLinkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.link_portal_account(
            patient=patient,
            email=data.validated_data["email"],
            by=request.user,
            client_ip=request.client_ip,
        )
        return Response(self.get_serializer(patient).data)

    def perform_create(self, serializer):
        serializer.instance = services.register_patient(
            by=self.request.user, client_ip=self.request.client_ip, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_patient(
            patient=serializer.instance,
            by=self.request.user,
            client_ip=self.request.client_ip,
            **serializer.validated_data,
        )
