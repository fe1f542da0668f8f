"""The page door's half of error handling: a service's refusal shown on the form it came from.

    form = CheckoutForm(request.POST)
    if form.is_valid():
        try:
            order = services.checkout(by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect(order)
    return render(request, "orders/checkout.html", {"form": form}, status=form_status(form))

An invalid form answers 400, like the API does for the same input: a test, a browser's
devtools and a load test all see that the request was refused.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from shared.errors import DomainError


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show the service's message next to the field it blames, or at the top of the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, ValidationError(error.message, code=error.code))


def form_status(*forms_: forms.BaseForm) -> int:
    """400 when any of the forms carries errors (the page shows them), else 200."""
    return 400 if any(form.is_bound and form.errors for form in forms_) else 200


class InvalidFormStatusMixin:
    """For FormView, CreateView and UpdateView: a form with errors answers 400, not 200."""

    def form_invalid(self, form: forms.BaseForm) -> HttpResponse:
        response: HttpResponse = super().form_invalid(form)  # type: ignore[misc]
        response.status_code = 400
        return response
