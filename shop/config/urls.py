"""The shop's URLs: its pages, its API under /api/v1/, then the shared URLs."""

from django.urls import path
from django.views.generic import TemplateView

from shared.web.urls import shared_urlpatterns

urlpatterns = [
    path("", TemplateView.as_view(template_name="base.html"), name="home"),
    *shared_urlpatterns(),
]
