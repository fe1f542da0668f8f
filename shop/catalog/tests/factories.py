"""factory_boy factories for the catalog (shop-wide: other apps' tests import them)."""

from decimal import Decimal

import factory

from catalog.models import Category, Product, Stock, Variant


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    parent = None


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    description = "A fine product."
    is_active = True


class VariantFactory(factory.django.DjangoModelFactory):
    """A variant with its stock row. ``VariantFactory(stock__quantity=3)`` sets the stock."""

    class Meta:
        model = Variant
        skip_postgeneration_save = True

    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    title = "Standard"
    attributes = factory.LazyFunction(dict)
    price = Decimal("19.90")
    is_active = True
    stock = factory.RelatedFactory(
        "catalog.tests.factories.StockFactory", factory_related_name="variant"
    )


class StockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stock

    variant = factory.SubFactory(VariantFactory, stock=None)
    quantity = 10
    reserved = 0
    low_stock_threshold = 2
