"""HTML views protected by each role helper, and pages using the shared templates."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.shortcuts import render
from django.views.generic import ListView, TemplateView

from shared.accounts.roles import RoleRequiredMixin, role_required


@role_required("staff")
def staff_function_view(request):
    return HttpResponse("staff function view")


class StaffClassView(RoleRequiredMixin, TemplateView):
    required_roles = ("staff",)
    template_name = "doors/staff.html"


class HomeView(TemplateView):
    template_name = "doors/home.html"


class UserListView(ListView):
    template_name = "doors/users.html"
    paginate_by = 2

    def get_queryset(self):
        users = get_user_model().objects.order_by("email")
        if self.request.GET.get("q"):
            users = users.filter(email__icontains=self.request.GET["q"])
        return users


class QuantityForm(forms.Form):
    name = forms.CharField()
    quantity = forms.IntegerField(min_value=1)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("name") == "forbidden":
            raise forms.ValidationError("This combination is not allowed.")
        return cleaned


def form_view(request):
    form = QuantityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return HttpResponse("saved")
    return render(request, "doors/form.html", {"form": form})


def bad_request_view(request):
    raise SuspiciousOperation("tampered input")


def server_error_view(request):
    raise RuntimeError("boom")
