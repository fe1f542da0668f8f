"""The billing API: /api/v1/invoices/ with lines, issue, payments and void as actions."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from billing import services
from billing.models import Invoice, InvoiceLine, Payment
from billing.services import LineInput
from clinical.models import Encounter
from core.roles import BILLING
from patients.api import LoggedRetrieveMixin
from shared.accounts.roles import user_has_role


class InvoiceLineSerializer(serializers.ModelSerializer):
    quantity = serializers.IntegerField(min_value=1, max_value=1000, default=1)

    class Meta:
        model = InvoiceLine
        fields = ["id", "description", "quantity", "unit_price", "amount"]
        read_only_fields = ["id", "amount"]


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "amount", "method", "reference", "received_at"]
        read_only_fields = ["id", "received_at"]


class InvoiceSerializer(serializers.ModelSerializer):
    encounter = serializers.IntegerField(source="encounter_id")
    lines = InvoiceLineSerializer(many=True, required=False)
    payments = PaymentSerializer(many=True, read_only=True)
    balance = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "patient",
            "encounter",
            "status",
            "total",
            "amount_paid",
            "balance",
            "issued_at",
            "lines",
            "payments",
        ]
        read_only_fields = [
            "id",
            "number",
            "patient",
            "status",
            "total",
            "amount_paid",
            "issued_at",
        ]


class BillingWrites(BasePermission):
    """Patients read their own invoices; only the billing roles change anything."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return user_has_role(request.user, *BILLING)


@extend_schema_view(
    list=extend_schema(summary="Invoices you may see (all for the desk, your own in the portal)"),
    create=extend_schema(summary="Draft an invoice for a visit, with its first lines"),
)
class InvoiceViewSet(
    LoggedRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = InvoiceSerializer
    permission_classes = [BillingWrites]
    filterset_fields = ["status", "patient"]
    ordering_fields = ["created_at", "issued_at", "total"]
    search_fields = ["number"]

    def get_queryset(self):
        queryset = Invoice.objects.visible_to(self.request.user)
        if self.action in ("list", "retrieve"):
            return queryset.with_details()
        return queryset

    def perform_create(self, serializer):
        data = serializer.validated_data
        encounter = get_object_or_404(
            Encounter.objects.select_related("patient"), pk=data["encounter_id"]
        )
        lines = [LineInput(**line) for line in data.get("lines", [])]
        serializer.instance = services.create_invoice(
            by=self.request.user, encounter=encounter, lines=lines, client_ip=self.request.client_ip
        )

    def _fresh(self, invoice: Invoice) -> Response:
        invoice = Invoice.objects.with_details().get(pk=invoice.pk)
        return Response(InvoiceSerializer(invoice).data)

    @extend_schema(
        request=InvoiceLineSerializer,
        responses={201: InvoiceSerializer},
        summary="Add a line to a draft",
    )
    @action(detail=True, methods=["post"])
    def lines(self, request, pk=None):
        invoice = self.get_object()
        body = InvoiceLineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.add_line(
            by=request.user,
            invoice=invoice,
            line=LineInput(**body.validated_data),
            client_ip=request.client_ip,
        )
        response = self._fresh(invoice)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        request=None, responses=InvoiceSerializer, summary="Issue a draft (it gets its number)"
    )
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        invoice = self.get_object()
        services.issue_invoice(by=request.user, invoice=invoice, client_ip=request.client_ip)
        return self._fresh(invoice)

    @extend_schema(
        request=PaymentSerializer,
        responses={201: InvoiceSerializer},
        summary="Record a payment (never more than the balance)",
    )
    @action(detail=True, methods=["post"])
    def payments(self, request, pk=None):
        invoice = self.get_object()
        body = PaymentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.record_payment(
            by=request.user, invoice=invoice, client_ip=request.client_ip, **body.validated_data
        )
        response = self._fresh(invoice)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        request=None, responses=InvoiceSerializer, summary="Void an issued invoice with no payment"
    )
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        invoice = self.get_object()
        services.void_invoice(by=request.user, invoice=invoice, client_ip=request.client_ip)
        return self._fresh(invoice)
