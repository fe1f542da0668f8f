"""Cart API for the logged-in customer (JWT): read the cart, add, change and remove lines.

    GET    /api/v1/cart/                the cart with its lines and total
    POST   /api/v1/cart/items/          {"variant": 21, "quantity": 2}
    PATCH  /api/v1/cart/items/{id}/     {"quantity": 3}   (0 removes the line)
    DELETE /api/v1/cart/items/{id}/

The same cart.services functions as the pages: a rule refused here is refused there.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from cart import services
from cart.exceptions import CartError
from cart.models import CartItem, cart_total
from cart.services import MAX_LINE_QUANTITY


class CartItemSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="variant.sku", read_only=True)
    title = serializers.SerializerMethodField()
    unit_price = serializers.DecimalField(
        source="variant.price", max_digits=10, decimal_places=2, read_only=True
    )
    line_total = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = CartItem
        fields = ["id", "variant", "sku", "title", "quantity", "unit_price", "line_total"]

    def get_title(self, item) -> str:
        return f"{item.variant.product.title} – {item.variant.title}"


class CartSerializer(serializers.Serializer):
    items = CartItemSerializer(many=True)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)


class AddItemSerializer(serializers.Serializer):
    variant = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_LINE_QUANTITY, default=1)


class SetQuantitySerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=0, max_value=MAX_LINE_QUANTITY)


CART_EXAMPLE = OpenApiExample(
    "A cart",
    response_only=True,
    value={
        "items": [
            {
                "id": 5,
                "variant": 21,
                "sku": "LIN-SH-BL-M",
                "title": "Linen shirt – Blue / M",
                "quantity": 2,
                "unit_price": "39.00",
                "line_total": "78.00",
            }
        ],
        "total": "78.00",
    },
)


def _as_validation_error(error: CartError) -> ValidationError:
    # The service's friendly message, under the field it is about: a 400 in the one
    # error shape of the API (drf-standardized-errors).
    return ValidationError({error.field: [error.message]})


class CartViewSet(viewsets.ViewSet):
    """The customer's own cart; there is no way to name another user's cart."""

    serializer_class = CartSerializer

    def _cart_response(self, cart, status_code=status.HTTP_200_OK) -> Response:
        items = list(CartItem.objects.filter(cart=cart).for_display())
        data = CartSerializer({"items": items, "total": cart_total(items)}).data
        return Response(data, status=status_code)

    @extend_schema(
        summary="My cart", tags=["cart"], responses=CartSerializer, examples=[CART_EXAMPLE]
    )
    def list(self, request):
        return self._cart_response(services.get_or_create_cart(request))

    @extend_schema(
        summary="Add a variant to my cart",
        tags=["cart"],
        request=AddItemSerializer,
        responses={201: CartSerializer},
        examples=[
            OpenApiExample(
                "Two of variant 21", request_only=True, value={"variant": 21, "quantity": 2}
            ),
            CART_EXAMPLE,
        ],
    )
    @action(detail=False, methods=["post"], url_path="items")
    def add_item(self, request):
        payload = AddItemSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        cart = services.get_or_create_cart(request)
        try:
            services.add_to_cart(
                cart=cart,
                variant_id=payload.validated_data["variant"],
                quantity=payload.validated_data["quantity"],
            )
        except CartError as error:
            raise _as_validation_error(error) from None
        return self._cart_response(cart, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a line's quantity (0 removes it)",
        tags=["cart"],
        request=SetQuantitySerializer,
        responses=CartSerializer,
        examples=[OpenApiExample("Three", request_only=True, value={"quantity": 3}), CART_EXAMPLE],
    )
    @action(detail=False, methods=["patch"], url_path=r"items/(?P<item_id>\d+)")
    def update_item(self, request, item_id: str):
        payload = SetQuantitySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        cart = services.get_or_create_cart(request)
        try:
            services.set_quantity(
                cart=cart, item_id=int(item_id), quantity=payload.validated_data["quantity"]
            )
        except CartItem.DoesNotExist:
            raise NotFound("No such line in your cart.") from None
        except CartError as error:
            raise _as_validation_error(error) from None
        return self._cart_response(cart)

    @extend_schema(summary="Remove a line", tags=["cart"], request=None, responses={204: None})
    @update_item.mapping.delete
    def remove_item(self, request, item_id: str):
        cart = services.get_or_create_cart(request)
        try:
            services.remove_line(cart=cart, item_id=int(item_id))
        except CartItem.DoesNotExist:
            raise NotFound("No such line in your cart.") from None
        return Response(status=status.HTTP_204_NO_CONTENT)
