"""Invoices, their lines and the payments against them.

Money is ``Decimal`` end to end (``DecimalField`` in the database, ``Decimal`` in
Python): floats cannot represent 0.10 exactly, and an invoice must add up to the
cent. The rule that matters most, "a payment never exceeds the balance", is
guarded three times: the form/serializer gives the friendly message, the service
applies the payment with one conditional ``UPDATE ... WHERE amount_paid + x <=
total``, and a ``CheckConstraint`` makes any other path fail loudly.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.roles import BILLING, PATIENT
from shared.accounts.roles import user_has_role

ZERO = Decimal("0.00")


class InvoiceQuerySet(models.QuerySet):
    def with_related(self):
        """What a list of invoices shows: the patient and the visit's doctor and department."""
        return self.select_related(
            "patient",
            "encounter__doctor__profile__user",
            "encounter__doctor__profile__department",
        )

    def with_details(self):
        """One invoice's page or API body: related rows plus its lines and payments."""
        return self.with_related().prefetch_related("lines", "payments__received_by")

    def visible_to(self, user):
        """Every invoice for the billing roles; a portal patient's own issued invoices
        (a draft is the hospital's work in progress); nothing for anyone else."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user_has_role(user, *BILLING):
            return self.all()
        if user_has_role(user, PATIENT):
            return self.filter(patient__user=user).exclude(status=Invoice.Status.DRAFT)
        return self.none()


class Invoice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"
        PAID = "paid", "Paid"
        VOID = "void", "Void"

    # Human-facing, unique and gap-free per year ("INV-2026-000042"), given when issued
    # (shared.numbering, series "invoice-<year>"): a discarded draft never burns a number.
    number = models.CharField(max_length=20, unique=True, null=True, blank=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="invoices"
    )
    # The visit billed: it also gives the department whose revenue this is.
    encounter = models.ForeignKey(
        "clinical.Encounter", on_delete=models.PROTECT, related_name="invoices"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Kept equal to the sum of the lines by the services (lines change only in a draft).
    total = models.DecimalField(max_digits=10, decimal_places=2, default=ZERO)
    amount_paid = models.DecimalField(max_digits=10, decimal_places=2, default=ZERO)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    issued_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0), name="billing_invoice_total_not_negative"
            ),
            # The guarantee behind "a payment cannot exceed the balance".
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0) & Q(amount_paid__lte=F("total")),
                name="billing_invoice_paid_within_total",
            ),
            # Issued, paid and void invoices carry their number; a draft has none yet.
            models.CheckConstraint(
                condition=Q(status="draft", number__isnull=True)
                | (~Q(status="draft") & Q(number__isnull=False)),
                name="billing_invoice_number_once_issued",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(amount_paid=F("total")),
                name="billing_invoice_paid_means_settled",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"Draft invoice #{self.pk}"

    @property
    def balance(self) -> Decimal:
        return self.total - self.amount_paid


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    description = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    # quantity x unit_price, stored so that sums are exact SQL over one column.
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="billing_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="billing_line_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} x{self.quantity}"


class Payment(models.Model):
    class Method(models.TextChoices):
        CASH = "cash", "Cash"
        CARD = "card", "Card"
        INSURANCE = "insurance", "Insurance"
        TRANSFER = "transfer", "Bank transfer"

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    method = models.CharField(max_length=10, choices=Method.choices)
    reference = models.CharField(max_length=100, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="billing_payment_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} ({self.get_method_display()}) on {self.invoice}"
