"""The shop's URLs: its pages, its API under /api/v1/ (config/api.py), then the shared URLs."""

from django.urls import include, path

from config.api import api_urlpatterns
from core.views import home
from shared.web.urls import shared_urlpatterns

urlpatterns = [
    path("", home, name="home"),
    path("products/", include("catalog.urls")),
    path("cart/", include("cart.urls")),
    path("", include("orders.urls")),
    path("payments/", include("payments.urls")),
    path("api/v1/", include(api_urlpatterns)),
    *shared_urlpatterns(),
]
