# The audit trail moves from addressregistry to its own app. The table stays where it is
# (``addressregistry_auditevent``), so this only tells Django's state; no row moves.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("addressregistry", "0002_audit_event"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="tidspunkt")),
                        ("actor_kind", models.CharField(max_length=20, verbose_name="hvem")),
                        ("actor_label", models.CharField(max_length=200, verbose_name="navn")),
                        ("acting_for", models.CharField(blank=True, max_length=200, verbose_name="på vegne av")),
                        ("action", models.CharField(choices=[("read", "Lest"), ("create", "Opprettet"), ("update", "Endret"), ("delete", "Slettet")], max_length=10, verbose_name="handling")),
                        ("object_type", models.CharField(db_index=True, max_length=50, verbose_name="objekttype")),
                        ("object_id", models.CharField(db_index=True, max_length=50, verbose_name="objekt-id")),
                        ("organisation_her_id", models.PositiveIntegerField(blank=True, null=True, verbose_name="virksomhet (HER-id)")),
                        ("summary", models.CharField(blank=True, max_length=300, verbose_name="beskrivelse")),
                        ("actor_user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "revisjonslogg",
                        "verbose_name_plural": "revisjonslogg",
                        "ordering": ["-at", "-id"],
                        "db_table": "addressregistry_auditevent",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
