"""The invoice PDF, drawn with reportlab from the invoice and its order's snapshot lines."""

import io

from django.conf import settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from orders.models import Invoice


def render_invoice_pdf(invoice: Invoice) -> bytes:
    """Render ``invoice`` to PDF bytes. Deterministic from the rows, so it is not stored."""
    order = invoice.order
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)  # invariant: same bytes each run
    pdf.setTitle(f"Invoice {invoice.number}")
    _, height = A4
    y = height - 25 * mm

    def line(text: str, *, x: float = 20 * mm, size: int = 10, bold: bool = False) -> None:
        pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        pdf.drawString(x, y, text)

    line(settings.SITE_NAME, size=16, bold=True)
    y -= 10 * mm
    line(f"Invoice {invoice.number}", size=13, bold=True)
    y -= 6 * mm
    line(f"Issued {invoice.issued_at:%d %B %Y}   Order {order.number}")
    y -= 10 * mm
    for address_line in order.shipping_address:
        line(address_line)
        y -= 5 * mm
    y -= 6 * mm
    for x, title in ((20, "SKU"), (50, "Item"), (130, "Qty"), (145, "Unit"), (170, "Amount")):
        line(title, x=x * mm, bold=True)
    y -= 6 * mm
    for order_line in order.lines.order_by("pk"):
        if y < 40 * mm:  # start a new page before running off this one
            pdf.showPage()
            y = height - 25 * mm
        line(order_line.sku, x=20 * mm)
        line(order_line.title[:40], x=50 * mm)  # ~75 mm of Helvetica 10: stops before "Qty"
        line(str(order_line.quantity), x=130 * mm)
        line(f"{order_line.unit_price}", x=145 * mm)
        line(f"{order_line.line_total}", x=170 * mm)
        y -= 5 * mm
    y -= 6 * mm
    for label, amount, bold in (
        ("Subtotal", order.subtotal, False),
        ("Discount", -order.discount, False),
        (f"Total ({order.currency})", order.total, True),
    ):
        line(label, x=130 * mm, bold=bold)
        line(f"{amount}", x=170 * mm, bold=bold)
        y -= 5 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
