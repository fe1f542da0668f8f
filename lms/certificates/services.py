"""Issuing certificates: exactly one per completed enrollment, and exactly one email."""

from django.conf import settings
from django.db import IntegrityError, transaction

from certificates.models import Certificate
from enrollments.models import Enrollment
from shared.tasks.base import enqueue_on_commit


def verify_url(certificate: Certificate) -> str:
    base: str = settings.LMS_PUBLIC_URL
    return base.rstrip("/") + certificate.get_absolute_url()


def issue_certificate(*, enrollment: Enrollment) -> tuple[Certificate | None, bool]:
    """The enrollment's certificate and whether this call created it.

    However many completion events arrive at once, the one-to-one column lets one insert
    win; the others read the winner's row. Only the winner enqueues the email, and the
    email's idempotency key stops even a re-delivered job from sending it twice.
    """
    if enrollment.status != Enrollment.Status.COMPLETED:
        return None, False
    existing = Certificate.objects.filter(enrollment=enrollment).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                enrollment=enrollment,
                student_name=enrollment.student.get_full_name(),
                course_title=enrollment.course.title,
            )
            enqueue_on_commit(
                "shared.send_templated_email",
                to=[enrollment.student.email],
                subject=f"Your certificate: {certificate.course_title}",
                template="certificates/email/issued",
                context={
                    "name": certificate.student_name,
                    "course": certificate.course_title,
                    "url": verify_url(certificate),
                },
                attachments=[
                    {
                        "filename": f"certificate-{certificate.code}.pdf",
                        "mimetype": "application/pdf",
                        "builder": "certificate_pdf",
                        "kwargs": {"certificate_id": certificate.pk},
                    }
                ],
                idempotency_key=f"certificate-{certificate.pk}",
            )
    except IntegrityError:
        return Certificate.objects.get(enrollment=enrollment), False
    return certificate, True
