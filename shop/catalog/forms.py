"""Forms for the catalog pages: the filter bar (GET) of the product list."""

from django import forms

from catalog.models import Product

SORT_CHOICES = [
    ("newest", "Newest first"),
    ("price", "Price: low to high"),
    ("-price", "Price: high to low"),
    ("title", "Title A–Z"),
]
assert {key for key, _ in SORT_CHOICES} == set(Product.SORTS)  # one list of sorts, two views of it


class CatalogFilterForm(forms.Form):
    """Validates the query string. A bad value (``?sort=hack``) is dropped, never a 500.

    ``category`` is a slug, not a ModelChoiceField: it is resolved inside the cached
    block, so a page served from the cache costs no query at all.
    """

    q = forms.CharField(label="Search", required=False, max_length=100)
    category = forms.SlugField(required=False, max_length=140)
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False)

    def filters(self) -> dict[str, str]:
        """The valid filters, with the defaults filled in."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": (data.get("q") or "").strip(),
            "category": data.get("category") or "",
            "sort": data.get("sort") or "newest",
        }
