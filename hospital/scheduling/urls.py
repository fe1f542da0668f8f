"""HTML routes of the scheduling app."""

urlpatterns: list = []
