"""The shop's URLs: its pages, its API under /api/v1/, then the shared URLs."""

from django.urls import include, path

from catalog.views import home
from config.api import router
from orders.api import CheckoutView
from payments.views import PaymentWebhookView
from shared.web.urls import shared_urlpatterns

urlpatterns = [
    path("", home, name="home"),
    path("products/", include("catalog.urls")),
    path("cart/", include("cart.urls")),
    path("", include("orders.urls")),
    path("payments/", include("payments.urls")),
    path("api/v1/checkout/", CheckoutView.as_view(), name="api-checkout"),
    path("api/v1/payments/webhook/", PaymentWebhookView.as_view(), name="payments-webhook"),
    path("api/v1/", include(router.urls)),
    *shared_urlpatterns(),
]
