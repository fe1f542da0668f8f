"""Shop-wide pytest fixtures. The shared plugin (shared.testing.plugin) gives users and clients;
here are the shop's own building blocks, built on the factories in catalog/tests/factories.py."""

import pytest

from catalog.tests.factories import CategoryFactory, ProductFactory, VariantFactory
from core.roles import CUSTOMER, STAFF


@pytest.fixture
def customer(make_user):
    return make_user(roles=[CUSTOMER], email="customer@example.com")


@pytest.fixture
def staff(make_user):
    return make_user(roles=[STAFF], email="staff@example.com")


@pytest.fixture
def variant(db):
    """One active variant of an active product, with 10 units in stock, at 19.90."""
    return VariantFactory(product=ProductFactory(category=CategoryFactory()))


@pytest.fixture
def make_variant(db):
    """``make_variant(quantity=3, price="5.00", reserved=0)``: a variant with that stock."""

    def make(*, quantity: int = 10, reserved: int = 0, **kwargs):
        return VariantFactory(stock__quantity=quantity, stock__reserved=reserved, **kwargs)

    return make
