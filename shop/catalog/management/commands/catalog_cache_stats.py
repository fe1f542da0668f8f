"""``manage.py catalog_cache_stats``: how often the catalog pages came from the cache.

Counts are kept only when ``CATALOG_CACHE_STATS`` is on (the load test turns it on):

    CATALOG_CACHE_STATS=1 make run P=shop       # browse a while, then:
    python manage.py catalog_cache_stats         # hits 940, misses 31, hit ratio 0.968
    python manage.py catalog_cache_stats --json --reset
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand

from catalog.cache import cache_stats


class Command(BaseCommand):
    help = "Print the catalog cache's hits, misses and hit ratio (CATALOG_CACHE_STATS=1)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--reset", action="store_true", help="start counting again")

    def handle(self, *args, **options):
        stats = cache_stats(reset=options["reset"])
        if options["json"]:
            self.stdout.write(json.dumps(stats))
            return
        if not settings.CATALOG_CACHE_STATS:
            self.stderr.write("CATALOG_CACHE_STATS is off: nothing is being counted.")
        ratio = "n/a" if stats["hit_ratio"] is None else stats["hit_ratio"]
        self.stdout.write(f"hits {stats['hits']}, misses {stats['misses']}, hit ratio {ratio}")
