"""Orders API: checkout, the customer's own orders, staff actions on any order, and the
payment provider's webhook that settles orders.

    POST /api/v1/checkout/                      Idempotency-Key header + address (+ coupon)
    GET  /api/v1/orders/  /api/v1/orders/{id}/  the customer's own orders only
    GET  /api/v1/orders/{id}/payment/           the provider's page to pay it (SPA, apps)
    GET  /api/v1/staff/orders/?status=paid      staff: every order
    POST /api/v1/staff/orders/{id}/fulfil|deliver|cancel|refund/
    POST /api/v1/payments/webhook/              the provider, signed

The same orders.services functions as the pages: a rule refused here is refused there. A
refusal is a domain error that the shared exception handler answers (400 invalid input,
409 a transition the status no longer allows), so no view here catches it.
"""

import json

from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cart import services as cart_services
from core.roles import BACK_OFFICE
from orders import services
from orders.models import Order, OrderLine, OrderStatus
from payments.gateway import get_gateway
from payments.models import Payment
from payments.signing import SIGNATURE_HEADER
from shared.accounts.roles import HasRole
from shared.errors import Conflict
from shared.web.schema import CONFLICT


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


class PaymentLinkSerializer(serializers.Serializer):
    checkout_url = serializers.URLField(help_text="Send the customer here to pay.")


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
        order = services.place_order(
            by=request.user,
            cart=cart_services.find_cart(by=request.user, token=None),
            address=serializer.address(),
            coupon_code=serializer.validated_data["coupon_code"] or None,
            idempotency_key=key,
        )
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
        return Order.objects.visible_to(self.request.user).with_lines()

    @extend_schema(
        summary="Where to pay my unpaid order",
        request=None,
        responses={200: PaymentLinkSerializer, 409: CONFLICT},
        description=(
            "The provider's hosted payment page, for a client without a session cookie (the "
            "SPA, a mobile app); `payment_url` is the pages' own. 409 once the order is settled."
        ),
    )
    @action(detail=True, methods=["get"])
    def payment(self, request, pk=None):
        order = self.get_object()
        payment = Payment.objects.filter(order=order).first()
        if order.status != OrderStatus.PENDING_PAYMENT or payment is None:
            raise Conflict("This order is not waiting for a payment.")
        url = get_gateway().checkout_url(payment.reference)
        return Response({"checkout_url": request.build_absolute_uri(url)})

    @extend_schema(
        summary="Cancel my unpaid order",
        request=None,
        responses={200: OrderSerializer},
        description="Releases the reserved stock. 409 once the order is paid (staff cancel it).",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        order = self.get_object()
        services.cancel_unpaid_order(order=order, by=request.user)
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
    permission_classes = [HasRole.of(*BACK_OFFICE)]
    filterset_fields = ["status"]
    search_fields = ["number", "email"]
    ordering_fields = ["created", "total", "paid_at"]

    def get_queryset(self):
        return Order.objects.visible_to(self.request.user).with_lines()

    def _act(self, request, action_name: str) -> Response:
        order = self.get_object()
        note = StaffNoteSerializer(data=request.data)
        note.is_valid(raise_exception=True)
        services.apply_staff_action(
            order=order, action=action_name, by=request.user, note=note.validated_data["note"]
        )
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


class PaymentWebhookView(APIView):
    """``POST /api/v1/payments/webhook/``: called by the payment provider, not by a browser.

    It lives with the orders because what an event means for an order (paid, cancelled,
    refunded) is the orders' rule; payments.services records the event and moves the payment.

    No session, no JWT, no CSRF token: the HMAC signature over the raw body IS the
    authentication, so the view opts out of DRF's authentication (which would enforce CSRF
    for a session) and of throttling (the provider retries on its own schedule). A delivery
    that is not authentic raises ``WebhookRejected``, a 400 from the shared handler.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        summary="Payment provider webhook",
        description=(
            "Signed by the provider: `Sandbox-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "
            '"<t>.<raw body>">`. Deliveries older than 5 minutes, with a bad signature or a '
            "malformed body get 400 and change nothing. A duplicate gets 200 and changes nothing."
        ),
        parameters=[
            OpenApiParameter(SIGNATURE_HEADER, str, OpenApiParameter.HEADER, required=True)
        ],
        request=inline_serializer(
            "WebhookEvent",
            {
                "id": serializers.CharField(),
                "type": serializers.ChoiceField(choices=["payment.succeeded", "payment.failed"]),
                "created": serializers.IntegerField(),
                "data": inline_serializer(
                    "WebhookEventData",
                    {
                        "reference": serializers.CharField(),
                        "amount": serializers.DecimalField(12, 2),
                        "currency": serializers.CharField(),
                    },
                ),
            },
        ),
        responses={
            200: inline_serializer(
                "WebhookAck",
                {
                    "received": serializers.BooleanField(),
                    "duplicate": serializers.BooleanField(),
                    "outcome": serializers.CharField(),
                },
            )
        },
        examples=[
            OpenApiExample(
                "payment.succeeded",
                request_only=True,
                value={
                    "id": "evt_sbx_4f1c2a_pay",
                    "type": "payment.succeeded",
                    "created": 1767225600,
                    "data": {"reference": "sbx_4f1c2a", "amount": "39.80", "currency": "EUR"},
                },
            ),
            OpenApiExample(
                "acknowledged",
                response_only=True,
                value={"received": True, "duplicate": False, "outcome": "applied: order paid"},
            ),
        ],
        tags=["payments"],
    )
    def post(self, request):
        gateway = get_gateway()
        # request.body is the raw bytes; request.data (parsed JSON) is never touched here.
        event = gateway.parse_webhook(headers=request.headers, body=request.body)
        record, applied = services.record_payment_event(
            provider=gateway.name, event=event, payload=json.loads(request.body)
        )
        return Response({"received": True, "duplicate": not applied, "outcome": record.outcome})
