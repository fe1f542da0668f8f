"""HTML views protected by each role helper, and pages using the shared templates."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.shortcuts import render
from django.views.generic import FormView, ListView, TemplateView

from shared.accounts.roles import RoleRequiredMixin, role_required
from shared.errors import DomainError
from shared.tests.project.doors import services
from shared.web.forms import InvalidFormStatusMixin, add_domain_error, form_status


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


# --- A service's refusal through the page door (shared.web.forms, DomainErrorMiddleware) ----


class ReserveForm(forms.Form):
    quantity = forms.IntegerField(min_value=1)


def reserve_form_view(request):
    """A form view: the service's DomainError lands on the form, and the page answers 400."""
    form = ReserveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reserve(quantity=form.cleaned_data["quantity"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return HttpResponse("reserved")
    return render(request, "doors/form.html", {"form": form}, status=form_status(form))


def close_button_view(request):
    """A button view: no try/except, DomainErrorMiddleware answers the refusal."""
    services.close_door()
    return HttpResponse("closed")


def client_ip_view(request):
    return HttpResponse(str(request.client_ip))


class ReserveFormView(InvalidFormStatusMixin, FormView):
    """The class-based form view's way: an invalid form answers 400 through the mixin."""

    form_class = ReserveForm
    template_name = "doors/form.html"
    success_url = "/doors/"


class CountForm(forms.Form):
    name = forms.CharField(max_length=50)
    value = forms.IntegerField()  # no max_value on purpose: the guard's safety net


def count_form_view(request):
    """A page form whose value can overflow its column (DataError on PostgreSQL)."""
    form = CountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.store_count(name=form.cleaned_data["name"], value=form.cleaned_data["value"])
        return HttpResponse("stored")
    return render(request, "doors/form.html", {"form": form}, status=form_status(form))


def race_button_view(request):
    services.race_for_rows()
    return HttpResponse("done")
