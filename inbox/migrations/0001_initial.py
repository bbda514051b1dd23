# Innboks moves from booking to its own app. The table stays where it is (booking_inboxmessage), so this
# only tells Django's state; no row moves and no table is touched.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("booking", "0003_invitation_campaigns"),
        ("citizens", "0001_initial"),
    ]

    state_operations = [
        migrations.CreateModel(
            name="InboxMessage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("new_appointment", "Ny timeavtale"), ("rejected", "Avvist timebestilling"), ("cancellation_receipt", "Kvittering for avbestilling"), ("cancelled_by_clinic", "Avlyst time"), ("moved", "Endret time"), ("automatic_reply", "Automatisk svar"), ("time_request", "Timeforespørsel")], max_length=24)),
                ("sender", models.CharField(max_length=200, verbose_name="avsender")),
                ("subject", models.CharField(max_length=200, verbose_name="emne")),
                ("body", models.TextField(verbose_name="tekst")),
                ("can_reply", models.BooleanField(default=False)),
                ("sent_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ("read_at", models.DateTimeField(blank=True, null=True)),
                ("appointment", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="messages", to="booking.appointment")),
                ("citizen", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="inbox", to="citizens.citizen")),
            ],
            options={
                "verbose_name": "melding i innboksen",
                "verbose_name_plural": "meldinger i innboksen",
                "db_table": "booking_inboxmessage",
                "ordering": ["-sent_at", "-id"],
            },
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[])]
