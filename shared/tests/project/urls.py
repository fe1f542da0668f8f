from shared.web.urls import shared_urlpatterns

urlpatterns = [*shared_urlpatterns()]
