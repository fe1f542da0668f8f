"""Django's Redis cache, with a ``clear()`` that deletes the cache's own keys only.

Django's ``RedisCache.clear()`` runs ``FLUSHDB``: it empties the whole Redis database.
When Celery's broker lives in the same database (``REDIS_URL`` is both, by default), that
also deletes every queued task, without a trace. Tests clear the cache around every test,
and an operator may run ``cache.clear()`` to drop stale pages.

This class deletes only the keys that carry this cache's ``KEY_PREFIX``. It walks them with
``SCAN`` and removes them with ``UNLINK``, in batches, so Redis is never blocked. The
broker's keys (``celery``, ``unacked``, ``_kombu.*``), and other caches with another
prefix, stay.

On a server, also give the cache its own Redis database (deploy/compose.yml sets
``CACHE_URL`` to database 1, and the broker keeps 0), so a ``FLUSHDB`` typed by hand cannot
take the queue either.
"""

from django.core.cache.backends.redis import RedisCache


class PrefixScopedRedisCache(RedisCache):
    def clear(self) -> None:
        client = self._cache.get_client(write=True)
        # Django writes keys as "<KEY_PREFIX>:<version>:<key>"; an empty prefix gives ":1:...".
        pattern = f"{self.key_prefix}:*"
        batch = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) == 1000:
                client.unlink(*batch)
                batch.clear()
        if batch:
            client.unlink(*batch)
