"""Invalidate the catalog cache when anything a catalog page shows changes.

Signals catch saves and deletes from every door (admin, shell, services). Stock is not
among them: the cached pages hold no availability (catalog/cache.py, ``with_live_stock``),
so the sales that move stock all day leave the cache warm.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalog.cache import bump_catalog_version_on_commit
from catalog.models import Category, Product, Variant


@receiver([post_save, post_delete], sender=Category)
@receiver([post_save, post_delete], sender=Product)
@receiver([post_save, post_delete], sender=Variant)
def catalog_changed(sender, **kwargs) -> None:
    bump_catalog_version_on_commit()
