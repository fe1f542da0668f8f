"""LowStockAlert moves here from orders (its table was renamed by orders 0003): state only."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_variant_active_price_index"),
        ("orders", "0003_counters_to_shared_numbering_low_stock_to_catalog"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="LowStockAlert",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("available_when_alerted", models.IntegerField()),
                        ("alerted_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "variant",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="catalog.variant",
                            ),
                        ),
                    ],
                ),
            ],
        ),
    ]
