"""The catalog's demo data (`manage.py seed_demo`): a category tree, ~40 products, and a bulk
catalog for load tests (`--bulk N`).

Everything is keyed by a natural key (slug, SKU) and created only when missing, so a
second run changes nothing, even after customers have bought (stock is never reset).
"""

import random
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from catalog.cache import bump_catalog_version
from catalog.models import Category, Product, Stock, Variant

# parent -> children. Three levels deep where it helps to show "a category includes
# its sub-categories" in the filter.
CATEGORY_TREE: dict[str, dict] = {
    "Clothing": {
        "Tops": {"T-shirts": {}, "Shirts": {}, "Sweaters": {}},
        "Trousers": {},
        "Outerwear": {},
    },
    "Footwear": {"Sneakers": {}, "Boots": {}},
    "Accessories": {"Bags": {}, "Hats": {}},
    "Home": {"Kitchen": {}, "Textiles": {}},
}

# Leaf category -> product nouns and the variant axis used for them.
PRODUCTS: dict[str, tuple[list[str], str]] = {
    "T-shirts": (["Crew tee", "V-neck tee", "Pocket tee", "Long-sleeve tee"], "size"),
    "Shirts": (["Linen shirt", "Oxford shirt", "Flannel shirt"], "size"),
    "Sweaters": (["Merino sweater", "Cotton hoodie", "Cardigan"], "size"),
    "Trousers": (["Chinos", "Selvedge jeans", "Cargo trousers", "Joggers"], "size"),
    "Outerwear": (["Rain jacket", "Wool coat", "Puffer vest"], "size"),
    "Sneakers": (["Canvas sneaker", "Running shoe", "Court sneaker"], "shoe"),
    "Boots": (["Chelsea boot", "Hiking boot", "Work boot"], "shoe"),
    "Bags": (["Tote bag", "Backpack", "Weekender", "Sling bag"], "colour"),
    "Hats": (["Beanie", "Cap", "Bucket hat"], "colour"),
    "Kitchen": (["Chef knife", "Cast iron pan", "Coffee grinder", "Tea towel set"], "plain"),
    "Textiles": (["Linen throw", "Cotton cushion", "Wool blanket"], "colour"),
}
AXES = {
    "size": ["S", "M", "L", "XL"],
    "shoe": ["40", "41", "42", "43", "44"],
    "colour": ["Black", "Navy", "Sand"],
    "plain": ["Standard"],
}


@transaction.atomic
def seed_categories() -> dict[str, Category]:
    by_name: dict[str, Category] = {}

    def create(tree: dict, parent: Category | None) -> None:
        for name, children in tree.items():
            category, _ = Category.objects.get_or_create(
                slug=slugify(name), defaults={"name": name, "parent": parent}
            )
            by_name[name] = category
            create(children, category)

    create(CATEGORY_TREE, None)
    return by_name


def seed_demo() -> None:
    """The demo catalog: the category tree and the products that are missing."""
    seed_products()


@transaction.atomic
def seed_products() -> int:
    """Create the demo products that are missing; return how many were created."""
    categories = seed_categories()
    rng = random.Random(2024)  # seeded: the same prices and stock on every machine
    created = 0
    for category_name, (nouns, axis) in PRODUCTS.items():
        for noun in nouns:
            base_price = Decimal(rng.randrange(900, 12900)) / 100
            stock_levels = [rng.choice([0, 2, 5, 12, 30]) for _ in AXES[axis]]
            slug = slugify(noun)
            product, was_created = Product.objects.get_or_create(
                slug=slug,
                defaults={
                    "title": noun,
                    "category": categories[category_name],
                    "description": f"Our {noun.lower()}: made to last, easy to love.",
                },
            )
            if not was_created:
                continue
            created += 1
            for value, quantity in zip(AXES[axis], stock_levels, strict=True):
                sku = f"{slug[:12].upper()}-{slugify(value).upper()}"
                variant = Variant.objects.create(
                    product=product,
                    sku=sku,
                    title=value,
                    attributes={} if axis == "plain" else {axis: value},
                    price=base_price + (Decimal("5.00") if value == "XL" else 0),
                )
                Stock.objects.create(variant=variant, quantity=quantity, low_stock_threshold=3)
    return created


def seed_bulk(count: int, *, batch_size: int = 2000) -> int:
    """Make sure ``count`` bulk products ("Bulk item N") exist, 2 variants each, with stock.

    ``bulk_create`` sends one INSERT per batch instead of one per row, and no signals,
    so we bump the catalog cache version once at the end. Returns how many were created.
    """
    total = count
    category = seed_categories()["Home"]
    existing = set(
        Product.objects.filter(slug__startswith="bulk-item-").values_list("slug", flat=True)
    )
    missing = [n for n in range(1, total + 1) if f"bulk-item-{n}" not in existing]
    for start in range(0, len(missing), batch_size):
        chunk = missing[start : start + batch_size]
        with transaction.atomic():
            products = Product.objects.bulk_create(
                Product(
                    category=category,
                    title=f"Bulk item {n}",
                    slug=f"bulk-item-{n}",
                    description="Generated for load tests.",
                )
                for n in chunk
            )
            variants = Variant.objects.bulk_create(
                Variant(
                    product=product,
                    sku=f"BULK-{n}-{size}",
                    title=size,
                    attributes={"size": size},
                    price=Decimal(5 + n % 95),
                )
                for product, n in zip(products, chunk, strict=True)
                for size in ("M", "L")
            )
            Stock.objects.bulk_create(Stock(variant=v, quantity=100) for v in variants)
    if missing:
        bump_catalog_version()
    return len(missing)
