# Citizen and Representation now belong to ``citizens``, InboxMessage to ``inbox`` (same tables). Point
# booking's foreign keys at the new models and forget the old ones, in Django's state only; then carry the
# content types (and so permissions and admin history) over to the new app labels.

import django.db.models.deletion
from django.db import migrations, models

MOVED = {"citizen": "citizens", "representation": "citizens", "inboxmessage": "inbox"}


def content_types_forward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        if not ContentType.objects.filter(app_label=app_label, model=model).exists():
            ContentType.objects.filter(app_label="booking", model=model).update(app_label=app_label)


def content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        if not ContentType.objects.filter(app_label="booking", model=model).exists():
            ContentType.objects.filter(app_label=app_label, model=model).update(app_label="booking")


class Migration(migrations.Migration):

    dependencies = [
        ("booking", "0003_invitation_campaigns"),
        ("citizens", "0001_initial"),
        ("inbox", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    state_operations = [
        migrations.AlterField(
            model_name="appointment",
            name="citizen",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="appointments", to="citizens.citizen", verbose_name="timen gjelder"),
        ),
        migrations.AlterField(
            model_name="appointment",
            name="booked_by",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="appointments_booked", to="citizens.citizen", verbose_name="bestilt av"),
        ),
        migrations.AlterField(
            model_name="timerequest",
            name="citizen",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="time_requests", to="citizens.citizen"),
        ),
        migrations.AlterField(
            model_name="timerequest",
            name="booked_by",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="time_requests_sent", to="citizens.citizen"),
        ),
        migrations.AlterField(
            model_name="campaignrecipient",
            name="citizen",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="citizens.citizen"),
        ),
        migrations.DeleteModel(name="InboxMessage"),
        migrations.DeleteModel(name="Representation"),
        migrations.DeleteModel(name="Citizen"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
        migrations.RunPython(content_types_forward, content_types_back),
    ]
