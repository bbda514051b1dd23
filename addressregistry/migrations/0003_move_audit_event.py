# AuditEvent now belongs to the ``audit`` app (same table); forget it here, and carry its content type
# (and so its permissions) over to the new app label.

from django.db import migrations


def content_type_to_audit(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="audit", model="auditevent").exists():
        ContentType.objects.filter(app_label="addressregistry", model="auditevent").update(app_label="audit")


def content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="addressregistry", model="auditevent").exists():
        ContentType.objects.filter(app_label="audit", model="auditevent").update(app_label="addressregistry")


class Migration(migrations.Migration):

    dependencies = [
        ("addressregistry", "0002_audit_event"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEvent")],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_audit, content_type_back),
    ]
