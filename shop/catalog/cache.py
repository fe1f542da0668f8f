"""Catalog caching keyed by a version number: invalidate everything by bumping one integer.

Every cached catalog entry has the current version in its key (``catalog:v42:list:...``).
When a product, variant or stock row changes we increment the version: old keys are
simply never read again and expire on their own. No need to know which pages showed the
changed product, and no "delete by pattern" (which Redis does slowly).

We cache *data* (plain dicts and lists), not HTML: pages also carry a CSRF token, the
user's name and flash messages, which must never be served to somebody else.
"""

import hashlib
import time
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import transaction

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


def cached(name: str, build: Callable[[], Any]) -> Any:
    """Return the cached value for ``name`` under the current version, building it on a miss."""
    key = f"catalog:v{catalog_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value


class CachedCountPaginator(Paginator):
    """Django's paginator, with the ``COUNT(*)`` behind the page count cached under the
    catalog version.

    The count is the one query of a list that grows with the table (docs/performance.md,
    section f: at 100,000 products it takes many times longer than the page itself). It changes
    only when the catalog does, and every catalog change bumps the version, so a cached
    count is never stale. The key is the list's SQL with its parameters: each filter,
    search and ordering has its own entry.
    """

    @cached_property
    def count(self) -> int:
        try:
            sql, params = self.object_list.query.sql_with_params()
        except EmptyResultSet:  # a .none() list: Django counts it without a query
            return self.object_list.count()
        digest = hashlib.sha256(repr((sql, params)).encode()).hexdigest()
        return cached(f"count:{digest}", self.object_list.count)
