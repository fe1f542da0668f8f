"""Sales of the last N days, and the geometry of the dashboard's bar chart.

The chart is plain SVG drawn by a template from these numbers: no JavaScript, no CDN,
nothing for the Content-Security-Policy to block, and it prints.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from orders.models import ZERO, Order

CHART_WIDTH, CHART_HEIGHT, LABEL_SPACE = 600, 200, 20
CENT = Decimal("0.01")


@dataclass(frozen=True)
class DaySales:
    day: date
    orders: int
    revenue: Decimal


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    sales: DaySales
    show_label: bool


def daily_sales(*, days: int = 30, today: date | None = None) -> list[DaySales]:
    """One row per day (zeros included) of orders paid and still counted as sold. One query."""
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    rows = (
        Order.objects.sold()
        .filter(paid_at__date__gte=first)
        .annotate(day=TruncDate("paid_at"))
        .values("day")
        .annotate(orders=Count("pk"), revenue=Sum("total"))
    )
    by_day = {row["day"]: row for row in rows}
    result = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        row = by_day.get(day, {"orders": 0, "revenue": ZERO})
        # SQLite sums decimals as floats (2214.1600000000000): back to cents for display.
        revenue = row["revenue"].quantize(CENT)
        result.append(DaySales(day=day, orders=row["orders"], revenue=revenue))
    return result


def bar_chart(sales: list[DaySales]) -> dict:
    """Bars scaled to the busiest day, in SVG user units (the viewBox makes it responsive)."""
    peak = max((s.revenue for s in sales), default=ZERO) or Decimal(1)
    slot = CHART_WIDTH / max(len(sales), 1)
    bars = []
    for index, day in enumerate(sales):
        height = float(day.revenue / peak) * (CHART_HEIGHT - LABEL_SPACE)
        bars.append(
            Bar(
                x=round(index * slot + 1, 2),
                y=round(CHART_HEIGHT - LABEL_SPACE - height, 2),
                width=round(slot - 2, 2),
                height=round(height, 2),
                sales=day,
                show_label=index % 7 == 0,
            )
        )
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": CHART_HEIGHT - LABEL_SPACE,
        "peak": peak,
        "total": sum((s.revenue for s in sales), ZERO),
    }
