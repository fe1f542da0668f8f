"""Two moves, keeping the data:

* invoice counters: DocumentCounter rows are copied into shared.numbering's Counter (same
  series names, "invoice-<year>", so the next invoice continues the sequence), then the
  table is dropped;
* LowStockAlert belongs to the catalog now: its table is renamed here and the catalog's
  0003 migration adopts the model without touching the database.
"""

from django.db import migrations


def copy_counters(apps, schema_editor):
    DocumentCounter = apps.get_model("orders", "DocumentCounter")
    Counter = apps.get_model("numbering", "Counter")
    for row in DocumentCounter.objects.all():
        counter, _ = Counter.objects.get_or_create(series=row.series)
        if counter.last_value < row.last_value:  # never hand out a number twice
            counter.last_value = row.last_value
            counter.save(update_fields=["last_value"])


def copy_counters_back(apps, schema_editor):
    DocumentCounter = apps.get_model("orders", "DocumentCounter")
    Counter = apps.get_model("numbering", "Counter")
    for counter in Counter.objects.filter(series__startswith="invoice-"):
        DocumentCounter.objects.update_or_create(
            series=counter.series, defaults={"last_value": counter.last_value}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0002_order_total_check"),
        ("numbering", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_counters, copy_counters_back),
        migrations.DeleteModel(name="DocumentCounter"),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="LowStockAlert", table="catalog_lowstockalert"),
            ],
            state_operations=[migrations.DeleteModel(name="LowStockAlert")],
        ),
    ]
