"""The sandbox provider's hosted payment page, and the webhook endpoint for any provider."""

import json

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from payments import services
from payments.gateway import WebhookRejected, get_gateway
from payments.models import Payment
from payments.signing import SIGNATURE_HEADER


def sandbox_page(request, reference: str):
    """Plays the provider's hosted checkout: shows the amount, offers Pay and Decline.

    A real provider's page lives on its own domain; this one only exists with the sandbox.
    Anyone holding the (unguessable) reference may pay, as with a real hosted checkout link.
    """
    if get_gateway().name != "sandbox":
        raise Http404("The sandbox is not the configured payment provider.")
    payment = get_object_or_404(Payment.objects.select_related("order"), reference=reference)
    error, status_code = None, 200
    if request.method == "POST":
        try:
            services.submit_sandbox_choice(payment=payment, outcome=request.POST.get("outcome", ""))
        except ValueError:
            error, status_code = "Choose Pay or Decline.", 400
        except services.PaymentClosed as exc:
            error, status_code = str(exc), 409
        else:
            return redirect("orders:confirmation", number=payment.order.number)
    return render(
        request, "payments/sandbox.html", {"payment": payment, "error": error}, status=status_code
    )


class WebhookRejectedError(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_webhook"
    default_detail = "The webhook could not be verified."


class PaymentWebhookView(APIView):
    """``POST /api/v1/payments/webhook/``: called by the payment provider, not by a browser.

    No session, no JWT, no CSRF token: the HMAC signature over the raw body IS the
    authentication, so the view opts out of DRF's authentication (which would enforce CSRF
    for a session) and of throttling (the provider retries on its own schedule).
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
        try:
            event = gateway.parse_webhook(headers=request.headers, body=request.body)
        except WebhookRejected as exc:
            raise WebhookRejectedError(str(exc)) from exc
        record, applied = services.record_webhook_event(
            provider=gateway.name, event=event, payload=json.loads(request.body)
        )
        return Response({"received": True, "duplicate": not applied, "outcome": record.outcome})
