"""A certificate: issued once per completed enrollment, verifiable by its public code."""

import secrets

from django.db import models
from django.urls import reverse

from courses.models import is_platform_admin
from enrollments.models import Enrollment


def new_code() -> str:
    """A code to print on the certificate: random, so codes cannot be enumerated."""
    return secrets.token_hex(8).upper()


class CertificateQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CertificateQuerySet":
        """Their own certificates; those of their courses for staff; all for an admin.
        (Anyone may *verify* a code: that page shows only what the certificate states.)"""
        if is_platform_admin(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            models.Q(enrollment__student=user) | models.Q(enrollment__course__staff__user=user)
        ).distinct()


class Certificate(models.Model):
    # One-to-one: a second certificate for the same enrollment is refused by PostgreSQL.
    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    # Copied at issue time: the certificate states what was true that day.
    student_name = models.CharField(max_length=200)
    course_title = models.CharField(max_length=200)
    issued_at = models.DateTimeField(auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.course_title}: {self.student_name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("certificates:verify", args=[self.code])
