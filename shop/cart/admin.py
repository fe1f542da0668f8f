"""Admin for carts: read-mostly, to answer "what did this customer have in the cart?"."""

from django.contrib import admin

from cart.models import Cart, CartItem


class CartItemInline(admin.TabularInline):
    model = CartItem
    extra = 0
    autocomplete_fields = ["variant"]


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = ["pk", "user", "session_key", "updated"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    inlines = [CartItemInline]
