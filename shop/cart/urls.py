"""Cart pages. (The cart API is registered on the project's router in config/api.py.)"""

from django.urls import path

from cart import views

app_name = "cart"

urlpatterns = [
    path("", views.cart_detail, name="detail"),
    path("add/<slug:slug>/", views.add, name="add"),
    path("lines/<int:item_id>/", views.update_line, name="update-line"),
    path("lines/<int:item_id>/remove/", views.remove_line, name="remove-line"),
]
