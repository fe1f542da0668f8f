"""Certificate pages: my certificates, the PDF, and the public verification page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from certificates import pdf, services
from certificates.models import Certificate


@login_required
def my_certificates(request):
    certificates = Certificate.objects.filter(enrollment__student=request.user)
    return render(request, "certificates/mine.html", {"certificates": certificates})


def verify(request, code: str):
    """Public, no login: what the certificate with this code states, or 404."""
    certificate = get_object_or_404(Certificate, code=code.upper())
    return render(request, "certificates/verify.html", {"certificate": certificate})


@login_required
def certificate_download(request, code: str):
    certificate = get_object_or_404(Certificate.objects.visible_to(request.user), code=code)
    content = pdf.certificate_pdf(certificate, verify_url=services.verify_url(certificate))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response
