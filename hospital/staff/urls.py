"""HTML routes of the staff app."""

urlpatterns: list = []
