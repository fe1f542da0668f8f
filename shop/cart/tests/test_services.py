"""Cart rules, straight through the services."""

import pytest

from cart import services
from cart.exceptions import CartError
from cart.models import Cart, CartItem
from cart.tests.factories import CartFactory, CartItemFactory
from catalog.tests.factories import VariantFactory

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


def test_remove_a_line(cart, make_variant):
    a = services.add_to_cart(cart=cart, variant_id=make_variant().pk)
    b = services.add_to_cart(cart=cart, variant_id=make_variant().pk)
    services.remove_line(cart=cart, item_id=a.pk)
    assert lines(cart) == {b.variant_id: 1}


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

        cart, notes = services.merge_carts(source=visitor, by=customer)

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
        _, notes = services.merge_carts(source=visitor, by=customer)
        assert lines(mine) == {}
        assert len(notes) == 2

    def test_without_a_user_cart_the_visitor_cart_changes_owner(self, customer, make_variant):
        visitor = CartFactory(user=None, session_key="tok")
        CartItemFactory(cart=visitor, variant=make_variant(), quantity=2)
        cart, notes = services.merge_carts(source=visitor, by=customer)
        assert cart.pk == visitor.pk and notes == []
        cart.refresh_from_db()
        assert (cart.user, cart.session_key) == (customer, None)


def test_get_or_create_cart_by_session_token_then_by_user(customer):
    assert services.find_cart(by=None, token="tok") is None
    cart = services.get_or_create_cart(by=None, token="tok")
    assert cart.session_key == "tok"
    assert services.get_or_create_cart(by=None, token="tok") == cart  # same token, same cart
    assert services.find_cart(by=None, token="tok") == cart
    user_cart = services.get_or_create_cart(by=customer, token=None)
    assert user_cart.user == customer and user_cart != cart
    assert services.find_cart(by=customer, token=None) == user_cart


def test_a_visitor_cart_needs_a_token():
    with pytest.raises(ValueError, match="token"):
        services.get_or_create_cart(by=None, token=None)


def test_merging_never_takes_the_cart_past_what_an_order_holds(customer, make_variant):
    mine, visitor = CartFactory(user=customer), CartFactory(user=None, session_key="tok")
    for cart in (mine, visitor):
        for _ in range(3):  # 3 lines of 20 x 99,999,999.99 each: 6 would not fit one order
            variant = make_variant(quantity=50, price="99999999.99")
            CartItemFactory(cart=cart, variant=variant, quantity=20)
    cart, notes = services.merge_carts(source=visitor, by=customer)
    assert len(lines(cart)) == 5
    assert len(notes) == 1 and "exceed what one order can hold" in notes[0]
