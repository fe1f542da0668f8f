"""Forms of the billing pages; the services hold the rules (balance, status)."""

from decimal import Decimal

from django import forms

from billing.models import Invoice, Payment


class InvoiceLineForm(forms.Form):
    description = forms.CharField(max_length=200)
    quantity = forms.IntegerField(min_value=1, max_value=1000, initial=1)
    unit_price = forms.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0"))


class PaymentForm(forms.Form):
    amount = forms.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    method = forms.ChoiceField(choices=Payment.Method.choices)
    reference = forms.CharField(max_length=100, required=False)


class InvoiceFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Invoice.Status.choices], required=False
    )
