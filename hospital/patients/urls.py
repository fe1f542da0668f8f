"""HTML routes of the patients app."""

urlpatterns: list = []
