"""Invalidate the catalog cache when anything a catalog page shows changes.

Signals catch saves and deletes from every door (admin, shell, services). Bulk
``QuerySet.update()`` sends no signal, so the stock services bump the version themselves.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalog.cache import bump_catalog_version_on_commit
from catalog.models import Category, Product, Stock, Variant


@receiver([post_save, post_delete], sender=Category)
@receiver([post_save, post_delete], sender=Product)
@receiver([post_save, post_delete], sender=Variant)
@receiver([post_save, post_delete], sender=Stock)
def catalog_changed(sender, **kwargs) -> None:
    bump_catalog_version_on_commit()
