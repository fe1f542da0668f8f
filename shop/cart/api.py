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
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from cart import services
from cart.models import CartItem, cart_total
from cart.services import MAX_LINE_QUANTITY
from shared.web.schema import AutoSchema


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


class CartSchema(AutoSchema):
    """The cart's schema as the views behave: one object per customer, whole bodies.

    drf-spectacular guesses from names: a ``list`` action returns an array, and a PATCH body
    is partial (every field optional). The cart's GET returns one object, and its PATCH
    validates the whole ``SetQuantitySerializer`` (``quantity`` is required).
    """

    def _is_list_view(self, serializer=None) -> bool:
        return False

    def _get_request_for_media_type(self, serializer, direction="request"):
        method, self.method = self.method, "PUT"  # a full body, not a partial one
        try:
            return super()._get_request_for_media_type(serializer, direction)
        finally:
            self.method = method


class CartViewSet(viewsets.ViewSet):
    """The customer's own cart; there is no way to name another user's cart.

    A refused change (out of stock, too many) is a ``CartError`` from the service, which the
    shared exception handler answers as a 400 naming the field: no try/except here.
    """

    serializer_class = CartSerializer
    schema = CartSchema()

    def _cart(self, request):
        return services.get_or_create_cart(by=request.user, token=None)

    def _cart_response(self, cart, status_code=status.HTTP_200_OK) -> Response:
        items = list(CartItem.objects.filter(cart=cart).for_display())
        data = CartSerializer({"items": items, "total": cart_total(items)}).data
        return Response(data, status=status_code)

    @extend_schema(
        summary="My cart", tags=["cart"], responses=CartSerializer, examples=[CART_EXAMPLE]
    )
    def list(self, request):
        return self._cart_response(self._cart(request))

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
        cart = self._cart(request)
        services.add_to_cart(
            cart=cart,
            variant_id=payload.validated_data["variant"],
            quantity=payload.validated_data["quantity"],
        )
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
        cart = self._cart(request)
        try:
            services.set_quantity(
                cart=cart, item_id=int(item_id), quantity=payload.validated_data["quantity"]
            )
        except CartItem.DoesNotExist:
            raise NotFound("No such line in your cart.") from None
        return self._cart_response(cart)

    @extend_schema(summary="Remove a line", tags=["cart"], request=None, responses={204: None})
    @update_item.mapping.delete
    def remove_item(self, request, item_id: str):
        cart = self._cart(request)
        try:
            services.remove_line(cart=cart, item_id=int(item_id))
        except CartItem.DoesNotExist:
            raise NotFound("No such line in your cart.") from None
        return Response(status=status.HTTP_204_NO_CONTENT)
