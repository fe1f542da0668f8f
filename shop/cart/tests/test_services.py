"""Cart rules, straight through the services."""

import pytest
from django.db import transaction
from django.test import RequestFactory

from cart import services
from cart.exceptions import CartError
from cart.models import Cart, CartItem
from catalog.tests.factories import CartFactory, CartItemFactory, VariantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cart(customer):
    return CartFactory(user=customer)


def lines(cart) -> dict[int, int]:
    return dict(CartItem.objects.filter(cart=cart).values_list("variant_id", "quantity"))


def test_adding_the_same_variant_twice_raises_the_line(cart, make_variant):
    variant = make_variant(quantity=5)
    services.add_to_cart(cart=cart, variant_id=variant.pk, quantity=2)
    services.add_to_cart(cart=cart, variant_id=variant.pk, quantity=1)
    assert lines(cart) == {variant.pk: 3}


def test_cannot_add_more_than_available(cart, make_variant):
    variant = make_variant(quantity=5, reserved=3)
    services.add_to_cart(cart=cart, variant_id=variant.pk, quantity=2)
    with pytest.raises(CartError, match="Only 2"):
        services.add_to_cart(cart=cart, variant_id=variant.pk, quantity=1)
    assert lines(cart) == {variant.pk: 2}


def test_sold_out_and_unsold_variants(cart, make_variant):
    sold_out = make_variant(quantity=0)
    with pytest.raises(CartError, match="out of stock"):
        services.add_to_cart(cart=cart, variant_id=sold_out.pk)
    retired = VariantFactory(is_active=False)
    with pytest.raises(CartError) as exc_info:
        services.add_to_cart(cart=cart, variant_id=retired.pk)
    assert exc_info.value.field == "variant"
    with pytest.raises(CartError):
        services.add_to_cart(cart=cart, variant_id=999_999)
    assert lines(cart) == {}


def test_quantity_bounds(cart, make_variant):
    variant = make_variant(quantity=100)
    with pytest.raises(CartError, match="at least 1"):
        services.add_to_cart(cart=cart, variant_id=variant.pk, quantity=0)
    with pytest.raises(CartError, match="at most"):
        services.add_to_cart(
            cart=cart, variant_id=variant.pk, quantity=services.MAX_LINE_QUANTITY + 1
        )


def test_set_quantity_and_zero_removes(cart, make_variant):
    variant = make_variant(quantity=4)
    item = services.add_to_cart(cart=cart, variant_id=variant.pk)
    services.set_quantity(cart=cart, item_id=item.pk, quantity=4)
    assert lines(cart) == {variant.pk: 4}
    with pytest.raises(CartError, match="Only 4"):
        services.set_quantity(cart=cart, item_id=item.pk, quantity=5)
    with pytest.raises(CartError):
        services.set_quantity(cart=cart, item_id=item.pk, quantity=-1)
    assert services.set_quantity(cart=cart, item_id=item.pk, quantity=0) is None
    assert lines(cart) == {}


def test_another_carts_line_is_not_found(cart):
    other_line = CartItemFactory()
    with pytest.raises(CartItem.DoesNotExist):
        services.set_quantity(cart=cart, item_id=other_line.pk, quantity=1)
    with pytest.raises(CartItem.DoesNotExist):
        services.remove_line(cart=cart, item_id=other_line.pk)
    assert CartItem.objects.filter(pk=other_line.pk).exists()


def test_remove_and_clear(cart, make_variant):
    a = services.add_to_cart(cart=cart, variant_id=make_variant().pk)
    services.add_to_cart(cart=cart, variant_id=make_variant().pk)
    services.remove_line(cart=cart, item_id=a.pk)
    assert len(lines(cart)) == 1
    services.clear_cart(cart=cart)
    assert lines(cart) == {}


class TestMerge:
    def test_sums_quantities_and_caps_at_stock(self, customer, make_variant):
        shared_variant, only_visitor = make_variant(quantity=5), make_variant(quantity=3)
        only_user = make_variant(quantity=3)
        mine = CartFactory(user=customer)
        CartItemFactory(cart=mine, variant=shared_variant, quantity=3)
        CartItemFactory(cart=mine, variant=only_user, quantity=1)
        visitor = CartFactory(user=None, session_key="tok")
        CartItemFactory(cart=visitor, variant=shared_variant, quantity=4)
        CartItemFactory(cart=visitor, variant=only_visitor, quantity=2)

        cart, notes = services.merge_carts(source=visitor, user=customer)

        assert cart == mine
        assert lines(mine) == {shared_variant.pk: 5, only_user.pk: 1, only_visitor.pk: 2}
        assert len(notes) == 1 and "reduced to 5" in notes[0]
        assert not Cart.objects.filter(pk=visitor.pk).exists()

    def test_drops_lines_no_longer_sold_or_sold_out(self, customer, make_variant):
        mine = CartFactory(user=customer)
        visitor = CartFactory(user=None, session_key="tok")
        retired = make_variant(quantity=5, is_active=False)
        gone = make_variant(quantity=0)
        CartItemFactory(cart=visitor, variant=retired, quantity=1)
        CartItemFactory(cart=visitor, variant=gone, quantity=1)
        _, notes = services.merge_carts(source=visitor, user=customer)
        assert lines(mine) == {}
        assert len(notes) == 2

    def test_without_a_user_cart_the_visitor_cart_changes_owner(self, customer, make_variant):
        visitor = CartFactory(user=None, session_key="tok")
        CartItemFactory(cart=visitor, variant=make_variant(), quantity=2)
        cart, notes = services.merge_carts(source=visitor, user=customer)
        assert cart.pk == visitor.pk and notes == []
        cart.refresh_from_db()
        assert (cart.user, cart.session_key) == (customer, None)


def test_get_or_create_cart_by_session_then_by_user(customer):
    request = RequestFactory().get("/")
    request.user = type("Anon", (), {"is_authenticated": False})()
    request.session = {}
    assert services.get_cart(request) is None
    cart = services.get_or_create_cart(request)
    assert cart.session_key == request.session[services.SESSION_CART_TOKEN]
    assert services.get_or_create_cart(request) == cart  # same token, same cart
    request.user = customer
    user_cart = services.get_or_create_cart(request)
    assert user_cart.user == customer and user_cart != cart


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_adds_of_one_variant_make_one_line(customer, make_variant, concurrently):
    """Five tabs add the same variant at once: the cart row lock serialises them, so
    there is one line of 5 (not an IntegrityError, not a lost update)."""
    variant = make_variant(quantity=10)
    cart = CartFactory(user=customer)

    def add_one():
        with transaction.atomic():
            services.add_to_cart(cart=cart, variant_id=variant.pk, quantity=1)

    outcomes = concurrently(*[add_one] * 5)
    assert [o.error for o in outcomes] == [None] * 5
    assert lines(cart) == {variant.pk: 5}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_first_requests_share_one_cart(customer, concurrently):
    """Five requests of a new customer arrive at once: the conditional unique constraint
    lets one INSERT win, get_or_create reads the winner, and all get the same cart."""

    def open_cart():
        request = RequestFactory().get("/")
        request.user, request.session = customer, {}
        return services.get_or_create_cart(request).pk

    outcomes = concurrently(*[open_cart] * 5)
    assert [o.error for o in outcomes] == [None] * 5
    assert len({o.value for o in outcomes}) == 1
    assert Cart.objects.filter(user=customer).count() == 1


def test_abandoned_visitor_carts_are_deleted_customers_carts_kept(customer, make_variant):
    from datetime import timedelta

    from django.utils import timezone

    from cart.tasks import delete_abandoned_carts_task

    old, fresh = (
        CartFactory(user=None, session_key="old"),
        CartFactory(user=None, session_key="new"),
    )
    mine = CartFactory(user=customer)
    CartItemFactory(cart=old)
    long_ago = timezone.now() - timedelta(days=31)
    Cart.objects.filter(pk__in=[old.pk, mine.pk]).update(updated=long_ago)
    services.add_to_cart(cart=fresh, variant_id=make_variant().pk)  # activity keeps it fresh

    assert delete_abandoned_carts_task.apply().get() == 2  # the cart and its line
    assert set(Cart.objects.values_list("pk", flat=True)) == {fresh.pk, mine.pk}
    assert delete_abandoned_carts_task.apply().get() == 0  # idempotent
