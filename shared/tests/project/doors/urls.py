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
    path("api/counters/", api.CounterListView.as_view()),
    path("api/orders/", api.OrderView.as_view()),
    path("reserve/", views.reserve_form_view),
    path("reserve-class/", views.ReserveFormView.as_view()),
    path("close/", views.close_button_view),
    path("client-ip/", views.client_ip_view),
    path("api/reserve/", api.ReserveView.as_view()),
    path("api/close/", api.CloseView.as_view()),
    path("api/validate/", api.ValidateView.as_view()),
    path("count/", views.count_form_view),
    path("race/", views.race_button_view),
    path("api/count/", api.CountView.as_view()),
    path("api/race/", api.RaceView.as_view()),
    path("api/raw/", api.RawBodyView.as_view()),
    path("api/move/", api.MoveView.as_view()),
]
