"""The home page: featured products and the top-level categories, from the catalog cache."""

from django.shortcuts import render

from catalog.cache import cached, with_live_stock
from catalog.models import Category, Product


def home(request):
    featured = cached("home", Product.objects.featured)
    with_live_stock(cards=featured)
    categories = cached("categories", Category.objects.tree)
    top_level = [c for c in categories if c["depth"] == 0]
    return render(request, "home.html", {"featured": featured, "categories": top_level})
