# VideoSignal now belongs to ``video`` (same table, booking_videosignal). Forget it in booking, in Django's state
# only; then carry its content type (and so its permissions and admin history) over to the new app label.

from django.db import migrations


def content_type_forward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="video", model="videosignal").exists():
        ContentType.objects.filter(app_label="booking", model="videosignal").update(app_label="video")


def content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="booking", model="videosignal").exists():
        ContentType.objects.filter(app_label="video", model="videosignal").update(app_label="booking")


class Migration(migrations.Migration):

    dependencies = [
        ("booking", "0008_slot_hold_bounds"),
        ("video", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="VideoSignal")], database_operations=[]),
        migrations.RunPython(content_type_forward, content_type_back),
    ]
