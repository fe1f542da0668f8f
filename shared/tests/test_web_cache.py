"""The Redis cache's clear() deletes cache keys only, never Celery's queue (shared/web/cache.py)."""

import pytest
import redis
from django.core.cache import caches

from shared.web.cache import PrefixScopedRedisCache

# Services mode: Redis is there, as the broker and the cache (the same database by default).
pytestmark = pytest.mark.postgres

QUEUE = "capstone-test-queue"  # stands for Celery's "celery" list in the same database


@pytest.fixture
def broker(settings):
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete(QUEUE)
    yield client
    client.delete(QUEUE)


def test_the_default_cache_is_the_prefix_scoped_one():
    assert isinstance(caches["default"], PrefixScopedRedisCache)


def test_clearing_the_cache_keeps_the_queued_tasks(broker):
    cache = caches["default"]
    broker.rpush(QUEUE, "a task waiting for a worker")
    cache.set_many({f"page-{n}": "<html>" for n in range(2500)})  # more than one batch

    cache.clear()

    assert cache.get("page-0") is None
    assert cache.get("page-2499") is None
    assert broker.lrange(QUEUE, 0, -1) == [b"a task waiting for a worker"]


def test_clearing_one_cache_keeps_another_prefix(settings, broker):
    location = settings.CACHES["default"]["LOCATION"]
    mine = PrefixScopedRedisCache(location, {"KEY_PREFIX": "mine"})
    theirs = PrefixScopedRedisCache(location, {"KEY_PREFIX": "theirs"})
    mine.set("page", "mine")
    theirs.set("page", "theirs")

    mine.clear()

    assert mine.get("page") is None
    assert theirs.get("page") == "theirs"
    theirs.clear()
