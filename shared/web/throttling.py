"""Throttles for every capstone's API (DRF's, reading their rates at request time)."""

from typing import cast

from rest_framework import throttling
from rest_framework.settings import api_settings


class LiveRatesMixin:
    """For a DRF throttle class: read ``DEFAULT_THROTTLE_RATES`` when a request comes in.

    DRF's own classes copy the setting once, at import, so changing it later (a test that
    lowers the rate, for one) would silently have no effect.
    """

    @property
    def THROTTLE_RATES(self) -> dict[str, str | None]:
        # The stubs type the values as numbers; they are rate strings such as "5/min".
        return cast("dict[str, str | None]", api_settings.DEFAULT_THROTTLE_RATES)


# DRF declares THROTTLE_RATES a plain class attribute; the mixin's read-only property stands
# in for it on purpose (read at each request), which mypy reports as an override.
class ScopedRateThrottle(LiveRatesMixin, throttling.ScopedRateThrottle):  # type: ignore[override]
    """DRF's scoped throttle (``throttle_scope = "auth"`` on a view), with live rates."""
