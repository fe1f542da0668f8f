"""The shop's API, served under /api/v1/: every viewset on one router, plus the plain views.

One router gives one browsable API root (/api/v1/) and one consistent URL style. Nothing
registers itself by being imported: this file is the whole list.
"""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from cart.api import CartViewSet
from catalog.api import CategoryViewSet, ProductViewSet
from orders.api import CheckoutView, OrderViewSet, PaymentWebhookView, StaffOrderViewSet

router = DefaultRouter()

# Catalog (public) and cart (the logged-in customer's own)
router.register("categories", CategoryViewSet, basename="category")
router.register("products", ProductViewSet, basename="product")
router.register("cart", CartViewSet, basename="cart")

# Orders: the customer's own, and every order for staff
router.register("orders", OrderViewSet, basename="order")
router.register("staff/orders", StaffOrderViewSet, basename="staff-order")

# The plain API views: checkout, and the payment provider's webhook
api_urlpatterns = [
    path("checkout/", CheckoutView.as_view(), name="api-checkout"),
    path("payments/webhook/", PaymentWebhookView.as_view(), name="payments-webhook"),
    path("", include(router.urls)),
]
