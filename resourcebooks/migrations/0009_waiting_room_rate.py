# The waiting room admits by rate, not by occupancy (issue 20): a number of places becomes admissions per minute.
# The old numbers meant something else, so they are not carried over: every timebook takes the measured default.

import django.core.validators
from django.db import migrations, models


def forget_capacities(apps, schema_editor):
    apps.get_model("resourcebooks", "Timebook").objects.update(waiting_room_rate=None)


class Migration(migrations.Migration):
    dependencies = [
        ("resourcebooks", "0008_slot_holds_and_waiting_room"),
    ]

    operations = [
        migrations.RenameField(model_name="timebook", old_name="waiting_room_capacity", new_name="waiting_room_rate"),
        migrations.AlterField(
            model_name="timebook",
            name="waiting_room_rate",
            field=models.PositiveIntegerField(
                blank=True,
                help_text=(
                    "Hvor mange innbyggere i minuttet som slippes inn i bestillingsstegene når mange vil inn "
                    "samtidig; de neste venter i kø. Tomt: standardverdien fra ytelsesmålingen."
                ),
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(100000),
                ],
                verbose_name="slippes inn per minutt",
            ),
        ),
        migrations.RunPython(forget_capacities, migrations.RunPython.noop),
    ]
