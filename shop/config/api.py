"""The shop's API router: every app registers its viewsets here, served under /api/v1/.

One router gives one browsable API root (/api/v1/) and one consistent URL style.
"""

from rest_framework.routers import DefaultRouter

from cart.api import CartViewSet
from catalog.api import CategoryViewSet, ProductViewSet
from orders.api import OrderViewSet, StaffOrderViewSet

router = DefaultRouter()

# Catalog (public) and cart (the logged-in customer's own)
router.register("categories", CategoryViewSet, basename="category")
router.register("products", ProductViewSet, basename="product")
router.register("cart", CartViewSet, basename="cart")

# Orders: the customer's own, and every order for staff (checkout and the payment
# webhook are plain views, routed in config/urls.py)
router.register("orders", OrderViewSet, basename="order")
router.register("staff/orders", StaffOrderViewSet, basename="staff-order")
