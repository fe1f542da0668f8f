from django.urls import path

from shared.tests.project.doors import api, views

urlpatterns = [
    path("", views.HomeView.as_view(), name="doors-home"),
    path("staff-function/", views.staff_function_view, name="doors-staff-function"),
    path("staff-class/", views.StaffClassView.as_view(), name="doors-staff-class"),
    path("users/", views.UserListView.as_view(), name="doors-users"),
    path("form/", views.form_view, name="doors-form"),
    path("bad-request/", views.bad_request_view),
    path("server-error/", views.server_error_view),
    path("api/staff/", api.StaffOnlyView.as_view()),
    path("api/users/", api.UserListView.as_view()),
    path("api/users/<int:pk>/", api.UserDetailView.as_view()),
    path("api/orders/", api.OrderView.as_view()),
]
