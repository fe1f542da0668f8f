"""The certificates app's jobs: issue on completion, and the PDF builder the email attaches."""

from certificates import pdf, services
from certificates.models import Certificate
from enrollments.models import Enrollment
from shared.tasks.base import task
from shared.tasks.email import attachment_builder


@task(name="certificates.issue_certificate")
def issue_certificate(*, enrollment_id: int) -> str | None:
    enrollment = Enrollment.objects.filter(pk=enrollment_id).select_related("course", "student")
    found = enrollment.first()
    if found is None:
        return None
    certificate, _ = services.issue_certificate(enrollment=found)
    return certificate.code if certificate else None


@attachment_builder("certificate_pdf")
def certificate_pdf(*, certificate_id: int) -> bytes:
    certificate = Certificate.objects.get(pk=certificate_id)
    return pdf.certificate_pdf(certificate, verify_url=services.verify_url(certificate))
