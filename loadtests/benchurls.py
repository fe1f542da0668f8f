"""URLconf of a bench run: the bench-only views first, then every URL of the project."""

from django.conf import settings

from config.urls import urlpatterns as project_urlpatterns
from loadtests.benchviews import bench_urlpatterns

urlpatterns = [*bench_urlpatterns(settings.BASE_DIR.name), *project_urlpatterns]
