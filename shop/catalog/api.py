"""Catalog API: categories and products, public and read-only.

``GET /api/v1/products/?category=shirts&search=linen&ordering=-price&page=2``
The list runs the same query as the catalog page (Product.objects.available()), so it
costs a constant number of queries whatever the page size; its page count is cached
under the catalog version (``CachedCountPaginator``).
"""

import django_filters
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import filters, serializers, viewsets
from rest_framework.permissions import AllowAny

from catalog.cache import CachedCountPaginator
from catalog.models import Category, Product, Variant
from shared.web.pagination import PageNumberPagination

# Only slug characters reach the view: anything else (a NUL byte, which PostgreSQL refuses
# in text) is a 404 at the URL resolver instead of a database error.
SLUG_REGEX = r"[-a-zA-Z0-9_]+"


class CategorySerializer(serializers.ModelSerializer):
    # A top-level category has no parent: null, and the schema says so.
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Category
        fields = ["id", "name", "slug", "parent"]


class VariantSerializer(serializers.ModelSerializer):
    available = serializers.IntegerField(read_only=True, help_text="Units that can be bought now.")

    class Meta:
        model = Variant
        fields = ["id", "sku", "title", "attributes", "price", "available"]


class ProductSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    min_price = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)
    variants = VariantSerializer(source="active_variants", many=True, read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "title",
            "slug",
            "description",
            "category",
            "min_price",
            "created",
            "variants",
        ]


PRODUCT_EXAMPLE = OpenApiExample(
    "A product",
    response_only=True,
    value={
        "id": 7,
        "title": "Linen shirt",
        "slug": "linen-shirt",
        "description": "Cool in summer.",
        "category": "shirts",
        "min_price": "39.00",
        "created": "2026-01-15T10:00:00Z",
        "variants": [
            {
                "id": 21,
                "sku": "LIN-SH-BL-M",
                "title": "Blue / M",
                "attributes": {"colour": "blue", "size": "M"},
                "price": "39.00",
                "available": 4,
            }
        ],
    },
)


class ProductFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(
        method="filter_category", help_text="A category slug; includes its sub-categories."
    )

    class Meta:
        model = Product
        fields = ["category"]

    def filter_category(self, queryset, name, value):
        category = Category.objects.filter(slug=value).first()
        if category is None:
            return queryset.none()
        return queryset.filter(category_id__in=Category.objects.descendant_ids(category))


@extend_schema_view(
    list=extend_schema(summary="List categories", tags=["catalog"]),
    retrieve=extend_schema(summary="One category", tags=["catalog"]),
)
class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Category.objects.select_related("parent").order_by("name")
    serializer_class = CategorySerializer
    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_regex = SLUG_REGEX
    filter_backends = [filters.SearchFilter]
    search_fields = ["name"]


class CatalogPagination(PageNumberPagination):
    django_paginator_class = CachedCountPaginator


@extend_schema_view(
    list=extend_schema(
        summary="List products on sale",
        tags=["catalog"],
        parameters=[
            OpenApiParameter("search", description="Words in the title or description."),
            OpenApiParameter(
                "ordering",
                description="One of created, -created, title, -title, min_price, -min_price.",
            ),
        ],
        examples=[PRODUCT_EXAMPLE],
    ),
    retrieve=extend_schema(
        summary="One product by slug", tags=["catalog"], examples=[PRODUCT_EXAMPLE]
    ),
)
class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    """Active products with at least one active variant."""

    serializer_class = ProductSerializer
    pagination_class = CatalogPagination
    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_regex = SLUG_REGEX
    filterset_class = ProductFilter
    search_fields = ["title", "description"]
    ordering_fields = ["created", "title", "min_price"]
    ordering = ["-created", "-pk"]

    def get_queryset(self):
        return Product.objects.available()
