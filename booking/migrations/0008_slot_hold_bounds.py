"""Issue 20: one hold per login (``held_by``) per timebook, and no hold past its cap (15 minutes from its first
taking). Holds that break either are ended first (a hold lives minutes; ending one only frees its slot)."""

import datetime

import django.db.models.expressions
from django.db import migrations, models

CAP = datetime.timedelta(seconds=900)  # core.limits.HOLD_MAX_SECONDS when this was written


def end_holds_past_the_new_bounds(apps, schema_editor):
    SlotHold = apps.get_model("booking", "SlotHold")
    Slot = apps.get_model("resourcebooks", "Slot")
    ended = []
    seen = set()
    for hold in SlotHold.objects.order_by("-created_at", "-pk"):
        key = (hold.timebook_id, hold.held_by_id)
        if key in seen or hold.until > hold.created_at + CAP:
            ended.append(hold.slot_id)
        seen.add(key)
    SlotHold.objects.filter(slot_id__in=ended).delete()
    Slot.objects.filter(pk__in=ended, state="on_hold").update(state="free")


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0007_slot_holds"),
    ]

    operations = [
        migrations.RunPython(end_holds_past_the_new_bounds, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="slothold",
            constraint=models.UniqueConstraint(
                fields=("timebook", "held_by"), name="slothold_one_per_login_per_timebook"
            ),
        ),
        migrations.AddConstraint(
            model_name="slothold",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "until__lte",
                        django.db.models.expressions.CombinedExpression(models.F("created_at"), "+", models.Value(CAP)),
                    )
                ),
                name="slothold_until_within_cap",
            ),
        ),
    ]
