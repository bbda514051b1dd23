# A 12–16-year-old's own dialogue is read by the child alone, not by the parents acting for them (issue 20, finding
# 10). Conversations already sent are marked by the same rule as new ones: begun by the person themself with a
# message to the office (not a time request, not one the office began), aged 12–16 on the day.

from django.db import migrations, models
from django.utils import timezone

from core.limits import HIDDEN_AGE_RANGE
from core.national_id import parse_national_id


def mark(apps, schema_editor):
    Thread = apps.get_model("inbox", "Thread")
    InboxMessage = apps.get_model("inbox", "InboxMessage")
    low, high = HIDDEN_AGE_RANGE
    hidden = []
    for thread in Thread.objects.select_related("citizen").iterator():
        first = InboxMessage.objects.filter(thread_id=thread.pk).order_by("sent_at", "pk").first()
        if first is None or first.kind != "dialogue" or first.written_by_id != thread.citizen_id:
            continue
        age = parse_national_id(thread.citizen.national_id).age_on(timezone.localtime(thread.created_at).date())
        if low <= age <= high:
            hidden.append(thread.pk)
    Thread.objects.filter(pk__in=hidden).update(hidden=True)


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0004_hold_withdrawn_message"),
    ]

    operations = [
        migrations.AddField(
            model_name="thread",
            name="hidden",
            field=models.BooleanField(
                default=False,
                help_text="Vises bare for pasienten selv (ungdom 12–16 år).",
                verbose_name="skjult for foreldre",
            ),
        ),
        migrations.RunPython(mark, migrations.RunPython.noop),
    ]
