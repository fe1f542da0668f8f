"""How often an anonymous request may make the site send an account email: one rule for
every page and API door that mails (verification link again, password reset), and the
per-client limit of the register page.

Each request that could send a mail is counted on two keys, with DRF's throttle classes
(a list of timestamps per key in Django's cache, the same machinery as the API's scopes):

- **Per client address**, the ``auth`` scope (``THROTTLE_AUTH``, 30/minute): the very
  counter that every auth endpoint of the API uses for that address, so switching from
  the API to a page gives no fresh budget. It stops one machine from mailing many
  addresses (or creating many accounts: the register page counts here too). It is kept
  loose because a whole class or office behind one NAT address shares it.
- **Per recipient**, the ``account_email`` scope (``THROTTLE_ACCOUNT_EMAIL``, 5/hour):
  keyed on the lower-cased email address, whichever client, door or kind of mail. It
  stops many machines (a botnet, or just several proxies) from flooding one mailbox,
  which no per-client limit can do.

Why one recipient budget for both kinds of mail, not one each: the rule to remember is
"one address gets at most 5 account emails an hour, whatever the kind", and a second
budget would only double what a flood can send. It takes nothing from a real user: a
verification link is sent again only to an account still waiting for verification, and
a reset link only to an active one, so one account only ever draws on one of the two.

The recipient's counter moves for every well-formed address, with or without an account:
if only real mails counted, a 429 would tell a stranger that an account exists.
"""

import hashlib
import math
from collections.abc import Sequence

from django.http import HttpRequest
from rest_framework import throttling
from rest_framework.request import Request
from rest_framework.views import APIView

from shared.web.throttling import LiveRatesMixin


# The property standing in for DRF's class attribute: see shared/web/throttling.py.
class _RateThrottle(LiveRatesMixin, throttling.SimpleRateThrottle):  # type: ignore[override]
    """DRF's cache-backed throttle, with the rates read when a request comes in."""


class ClientThrottle(_RateThrottle):
    scope = "auth"

    def get_cache_key(self, request: Request, view: APIView | None) -> str:
        # The key DRF's ScopedRateThrottle gives an anonymous API client ("throttle_auth_<ip>"),
        # so both doors draw from one budget.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class RecipientThrottle(_RateThrottle):
    scope = "account_email"

    def __init__(self, email: str) -> None:
        super().__init__()
        # Lower-cased, as the accounts are: "Ann@X.io" must not open a second budget.
        # Hashed: a fixed-length key, and no email addresses in the cache's list of keys.
        normalized = email.strip().lower()
        self.ident = hashlib.sha256(normalized.encode()).hexdigest()

    def get_cache_key(self, request: Request, view: APIView | None) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.ident}


def retry_after(
    request: HttpRequest | Request, throttles: Sequence[throttling.SimpleRateThrottle]
) -> int | None:
    """``None`` if every throttle lets this request through (each then counts it), else the
    whole seconds to wait. Stops at the first refusal, so a refused request is not counted
    by the throttles after it."""
    for throttle in throttles:
        # The pages have no DRF view; these throttles' keys never read it. (The stubs type
        # the request as DRF's and omit ``duration``, which DRF sets from the rate.)
        if not throttle.allow_request(request, view=None):  # type: ignore[arg-type]
            # wait() is None when the rate was lowered below the history: wait a full window.
            return math.ceil(throttle.wait() or throttle.duration)  # type: ignore[attr-defined]
    return None
