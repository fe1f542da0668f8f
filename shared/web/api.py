"""API conventions shared by every capstone."""

from rest_framework import pagination, throttling
from rest_framework.settings import api_settings


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=2&page_size=50``; the size is capped so one request cannot ask for everything."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class LiveRatesMixin:
    """For a DRF throttle class: read ``DEFAULT_THROTTLE_RATES`` when a request comes in.

    DRF's own classes copy the setting once, at import, so changing it later (a test that
    lowers the rate, for one) would silently have no effect.
    """

    @property
    def THROTTLE_RATES(self):
        return api_settings.DEFAULT_THROTTLE_RATES


class ScopedRateThrottle(LiveRatesMixin, throttling.ScopedRateThrottle):
    """DRF's scoped throttle (``throttle_scope = "auth"`` on a view), with live rates."""
