"""Every PDF the hospital builds, in one module (today: the monthly department report).

reportlab's platypus lays out flowables (paragraphs, tables) instead of placing text at
canvas coordinates, so a longer table simply runs onto the next page.
"""

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


class Row(Protocol):
    """One line of the table (reports.services.ReportRow has this shape)."""

    @property
    def department(self) -> str: ...
    @property
    def visits(self) -> int: ...
    @property
    def invoiced(self) -> Decimal: ...
    @property
    def collected(self) -> Decimal: ...


def report_pdf(*, title: str, rows: Sequence[Row], total: Row) -> bytes:
    """The department report: one A4 table, a row per department and the total last."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title)
    styles = getSampleStyleSheet()
    data = [["Department", "Visits", "Invoiced", "Collected"]]
    for row in [*rows, total]:
        data.append(
            [row.department, str(row.visits), f"{row.invoiced:,.2f}", f"{row.collected:,.2f}"]
        )
    table = Table(data, colWidths=[200, 70, 100, 100])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black),
            ]
        )
    )
    generated = f"Generated {timezone.localtime():%d %B %Y %H:%M}"
    document.build(
        [
            Paragraph(title, styles["Title"]),
            Paragraph(generated, styles["Normal"]),
            Spacer(1, 12),
            table,
        ]
    )
    return buffer.getvalue()
