"""Invoice counters move to shared.numbering: copy each year's last number, then drop the table.

Series names are "invoice-<year>", the names billing.services asks next_number() for.
"""

from django.db import migrations


def copy_counters(apps, schema_editor):
    InvoiceSequence = apps.get_model("billing", "InvoiceSequence")
    Counter = apps.get_model("numbering", "Counter")
    for sequence in InvoiceSequence.objects.all():
        counter, _ = Counter.objects.get_or_create(series=f"invoice-{sequence.year}")
        # Never move a counter backwards: a number already given must not come again.
        counter.last_value = max(counter.last_value, sequence.last_number)
        counter.save(update_fields=["last_value"])


def copy_counters_back(apps, schema_editor):
    InvoiceSequence = apps.get_model("billing", "InvoiceSequence")
    Counter = apps.get_model("numbering", "Counter")
    for counter in Counter.objects.filter(series__startswith="invoice-"):
        year = int(counter.series.removeprefix("invoice-"))
        InvoiceSequence.objects.update_or_create(
            year=year, defaults={"last_number": counter.last_value}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0002_initial"),
        ("numbering", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_counters, copy_counters_back),
        migrations.DeleteModel(name="InvoiceSequence"),
    ]
