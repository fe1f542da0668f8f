"""Orders API: checkout, the customer's own orders, and staff actions on any order.

    POST /api/v1/checkout/                      Idempotency-Key header + address (+ coupon)
    GET  /api/v1/orders/  /api/v1/orders/{id}/  the customer's own orders only
    GET  /api/v1/staff/orders/?status=paid      staff: every order
    POST /api/v1/staff/orders/{id}/fulfil|deliver|cancel|refund/

The same orders.services functions as the pages: a rule refused here is refused there.
"""

from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cart.models import Cart
from orders import services
from orders.models import Order, OrderLine, OrderStatus
from shared.accounts.roles import HasRole


class OrderLineSerializer(serializers.ModelSerializer):
    line_total = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = OrderLine
        fields = ["variant", "sku", "title", "unit_price", "quantity", "line_total"]


class OrderSerializer(serializers.ModelSerializer):
    lines = OrderLineSerializer(many=True, read_only=True)
    shipping_address = serializers.ListField(child=serializers.CharField(), read_only=True)
    payment_url = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "status",
            "created",
            "paid_at",
            "currency",
            "subtotal",
            "discount",
            "total",
            "shipping_address",
            "lines",
            "payment_url",
        ]

    def get_payment_url(self, order) -> str | None:
        """Where to send the customer to pay, while the order waits for its payment."""
        if order.status != OrderStatus.PENDING_PAYMENT:
            return None
        request = self.context["request"]
        return request.build_absolute_uri(reverse("orders:pay", kwargs={"number": order.number}))


class StaffOrderSerializer(OrderSerializer):
    email = serializers.EmailField(read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "email", "allowed_actions"]

    def get_allowed_actions(self, order) -> list[str]:
        return [t.action for t in order.allowed_actions()]


class CheckoutSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=20)
    city = serializers.CharField(max_length=100)
    country = serializers.RegexField(r"^[A-Za-z]{2}$", max_length=2)
    coupon_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")

    def address(self) -> services.ShippingAddress:
        data = self.validated_data
        return services.ShippingAddress(
            name=data["name"],
            line1=data["line1"],
            line2=data["line2"],
            city=data["city"],
            postcode=data["postcode"],
            country=data["country"].upper(),
        )


class TransitionConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "transition_not_allowed"
    default_detail = "The order's status does not allow this action."


ORDER_EXAMPLE = OpenApiExample(
    "An order awaiting payment",
    response_only=True,
    value={
        "id": 12,
        "number": "SO-2026-000012",
        "status": "pending_payment",
        "created": "2026-01-05T10:00:00Z",
        "paid_at": None,
        "currency": "EUR",
        "subtotal": "39.80",
        "discount": "3.98",
        "total": "35.82",
        "shipping_address": ["Ada Lovelace", "12 Analytical Row", "75001 Paris", "FR"],
        "lines": [
            {
                "variant": 21,
                "sku": "TEE-BLUE-M",
                "title": "T-shirt – Blue / M",
                "unit_price": "19.90",
                "quantity": 2,
                "line_total": "39.80",
            }
        ],
        "payment_url": "https://shop.example/orders/SO-2026-000012/pay/",
    },
)


class CheckoutView(APIView):
    @extend_schema(
        summary="Place an order from the cart",
        description=(
            "Reserves the stock, redeems the coupon and starts the payment. Send a unique "
            "`Idempotency-Key` per checkout attempt: repeating the request with the same key "
            "returns the same order instead of creating another. Then send the customer to "
            "`payment_url`."
        ),
        parameters=[
            OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=True)
        ],
        request=CheckoutSerializer,
        responses={201: OrderSerializer},
        examples=[
            OpenApiExample(
                "Checkout with a coupon",
                request_only=True,
                value={
                    "name": "Ada Lovelace",
                    "line1": "12 Analytical Row",
                    "postcode": "75001",
                    "city": "Paris",
                    "country": "FR",
                    "coupon_code": "WELCOME10",
                },
            ),
            ORDER_EXAMPLE,
        ],
        tags=["orders"],
    )
    def post(self, request):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > 64 or not key.isprintable():
            raise ValidationError(
                {
                    "Idempotency-Key": [
                        "Send a unique Idempotency-Key header (at most 64 characters)."
                    ]
                }
            )
        serializer = CheckoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            order = services.place_order(
                cart=Cart.objects.filter(user=request.user).first(),
                user=request.user,
                address=serializer.address(),
                coupon_code=serializer.validated_data["coupon_code"] or None,
                idempotency_key=key,
            )
        except services.CheckoutError as error:
            raise ValidationError({error.field or "non_field_errors": [error.message]}) from error
        order = Order.objects.with_lines().get(pk=order.pk)
        # A replay gets the same 201 and body as the first call, as with Stripe's idempotency.
        return Response(
            OrderSerializer(order, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["orders"], examples=[ORDER_EXAMPLE])
class OrderViewSet(viewsets.ReadOnlyModelViewSet):
    """The logged-in customer's orders. Another customer's order id answers 404."""

    serializer_class = OrderSerializer
    filterset_fields = ["status"]
    ordering_fields = ["created", "total"]

    queryset = Order.objects.none()  # for the schema generator; requests use get_queryset

    def get_queryset(self):
        return Order.objects.for_customer(self.request.user).with_lines()

    @extend_schema(
        summary="Cancel my unpaid order",
        request=None,
        responses={200: OrderSerializer},
        description="Releases the reserved stock. 409 once the order is paid (staff cancel it).",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        order = self.get_object()
        try:
            services.cancel_unpaid_order(order=order, by=request.user)
        except services.TransitionNotAllowed as error:
            raise TransitionConflict(str(error)) from error
        return Response(self.get_serializer(self.get_queryset().get(pk=order.pk)).data)


class StaffNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


ACTION_SCHEMA = {
    "request": StaffNoteSerializer,
    "responses": {200: StaffOrderSerializer},
    "description": "409 when the order's current status does not allow it (see `allowed_actions`).",
}


@extend_schema(tags=["staff"])
class StaffOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Staff: every order, and the transitions the order's status allows."""

    serializer_class = StaffOrderSerializer
    permission_classes = [HasRole.of("staff")]
    filterset_fields = ["status"]
    search_fields = ["number", "email"]
    ordering_fields = ["created", "total", "paid_at"]

    def get_queryset(self):
        return Order.objects.with_lines()

    def _act(self, request, action_name: str) -> Response:
        order = self.get_object()
        note = StaffNoteSerializer(data=request.data)
        note.is_valid(raise_exception=True)
        try:
            services.apply_staff_action(
                order=order, action=action_name, by=request.user, note=note.validated_data["note"]
            )
        except services.TransitionNotAllowed as error:
            raise TransitionConflict(str(error)) from error
        order = self.get_queryset().get(pk=order.pk)
        return Response(self.get_serializer(order).data)

    @extend_schema(summary="Fulfil a paid order (ships it)", **ACTION_SCHEMA)
    @action(detail=True, methods=["post"])
    def fulfil(self, request, pk=None):
        return self._act(request, "fulfil")

    @extend_schema(summary="Mark a fulfilled order delivered", **ACTION_SCHEMA)
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        return self._act(request, "deliver")

    @extend_schema(summary="Cancel an unshipped order (refunds it if paid)", **ACTION_SCHEMA)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(request, "cancel")

    @extend_schema(summary="Refund a shipped order", **ACTION_SCHEMA)
    @action(detail=True, methods=["post"])
    def refund(self, request, pk=None):
        return self._act(request, "refund")
