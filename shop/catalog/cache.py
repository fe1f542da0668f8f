"""Catalog caching keyed by a version number: invalidate everything by bumping one integer.

Every cached catalog entry has the current version in its key (``catalog:v42:list:...``).
When a category, product or variant changes we increment the version: old keys are
simply never read again and expire on their own. No need to know which pages showed the
changed product, and no "delete by pattern" (which Redis does slowly).

Stock is the exception. Every order moves it, so if it bumped the version, a busy shop
would rebuild its catalog pages after every sale and the cache would rarely be hit. The
cached entries therefore hold no availability; ``with_live_stock`` reads it fresh, for
the variants on the page only, in one indexed query per request.

We cache *data* (plain dicts and lists), not HTML: pages also carry a CSRF token, the
user's name and flash messages, which must never be served to somebody else.
"""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet

from catalog.models import Stock
from shared.web.pagination import TimedCountPaginator

VERSION_KEY = "catalog:version"
TIMEOUT = getattr(settings, "CATALOG_CACHE_SECONDS", 600)


def catalog_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Start from the clock, not from 1: if Redis evicts the counter, a restarted
        # count could meet old entries again ("v3" from yesterday) and serve them.
        cache.add(VERSION_KEY, time.time_ns() // 1000, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_catalog_version() -> None:
    """Make every cached catalog entry stale, at once and for every process."""
    try:
        cache.incr(VERSION_KEY)  # atomic in Redis: two bumps never collapse into one
    except ValueError:  # the key was missing or evicted
        cache.set(VERSION_KEY, time.time_ns() // 1000, timeout=None)


def bump_catalog_version_on_commit() -> None:
    """Bump after the transaction commits. Bumping before COMMIT would let a reader
    re-cache the *old* rows under the new version in the gap between bump and commit."""
    transaction.on_commit(bump_catalog_version)


STATS_KEYS = {"hit": "catalog:stats:hits", "miss": "catalog:stats:misses"}


def cached(name: str, build: Callable[[], Any]) -> Any:
    """Return the cached value for ``name`` under the current version, building it on a miss."""
    key = f"catalog:v{catalog_version()}:{name}"
    value = cache.get(key)
    hit = value is not None
    if not hit:
        value = build()
        cache.set(key, value, TIMEOUT)
    if settings.CATALOG_CACHE_STATS:
        _count("hit" if hit else "miss")
    return value


def _count(outcome: str) -> None:
    key = STATS_KEYS[outcome]
    if not cache.add(key, 1, timeout=None):  # the first count creates the key
        cache.incr(key)


def cache_stats(*, reset: bool = False) -> dict[str, int | float | None]:
    """Hits, misses and the hit ratio counted since the last reset (CATALOG_CACHE_STATS)."""
    hits = cache.get(STATS_KEYS["hit"], 0)
    misses = cache.get(STATS_KEYS["miss"], 0)
    if reset:
        cache.delete_many(list(STATS_KEYS.values()))
    total = hits + misses
    return {"hits": hits, "misses": misses, "hit_ratio": round(hits / total, 3) if total else None}


def with_live_stock(cards: list[dict] | None = None, variants: list[dict] | None = None) -> None:
    """Add today's availability to cached cards (``in_stock``) and variants (``available``).

    One query for the whole page (``Stock.objects.available_by_variant``). It writes into
    the dicts it is given: pass the copies ``cache.get`` returned, never a shared object.
    """
    cards, variants = cards or [], variants or []
    ids = [i for card in cards for i in card["variant_ids"]] + [v["id"] for v in variants]
    available = Stock.objects.available_by_variant(ids)
    for card in cards:
        card["in_stock"] = any(available.get(i, 0) > 0 for i in card["variant_ids"])
    for variant in variants:
        variant["available"] = available.get(variant["id"], 0)


class CachedCountPaginator(TimedCountPaginator):
    """The shared paginator with its cached ``COUNT(*)`` kept under the catalog version
    instead of for a minute.

    The count is the one query of a list that grows with the table (docs/performance.md,
    section f: at 100,000 products it takes many times longer than the page itself). It changes
    only when the catalog does, and every catalog change bumps the version, so a cached
    count is never stale (stock does not bump it, and no list filters on stock). The key is
    the list's SQL with its parameters: each filter, search and ordering has its own entry.
    """

    def cached_count(self, key: str, rows: QuerySet[Any]) -> int:
        count: int = cached(key, rows.count)
        return count
