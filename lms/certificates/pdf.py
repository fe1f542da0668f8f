"""Every PDF the LMS builds (there is one: the certificate), drawn with reportlab."""

from io import BytesIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from certificates.models import Certificate


def certificate_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    buffer = BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"Certificate {certificate.code}")
    pdf.setFont("Helvetica-Bold", 34)
    pdf.drawCentredString(width / 2, height - 150, "Certificate of completion")
    pdf.setFont("Helvetica", 18)
    pdf.drawCentredString(width / 2, height - 220, "This certifies that")
    pdf.setFont("Helvetica-Bold", 26)
    pdf.drawCentredString(width / 2, height - 265, certificate.student_name)
    pdf.setFont("Helvetica", 18)
    pdf.drawCentredString(width / 2, height - 310, "has completed the course")
    pdf.setFont("Helvetica-Bold", 22)
    pdf.drawCentredString(width / 2, height - 350, certificate.course_title)
    pdf.setFont("Helvetica", 12)
    pdf.drawCentredString(
        width / 2, 90, f"Issued {certificate.issued_at:%d %B %Y} · code {certificate.code}"
    )
    pdf.drawCentredString(width / 2, 70, f"Verify at {verify_url}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
