# VideoSignal moves from booking to its own app (issue 21). The table stays where it is (booking_videosignal),
# so this only tells Django's state; no row moves and no table is touched.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("booking", "0008_slot_hold_bounds"),
    ]

    state_operations = [
        migrations.CreateModel(
            name='VideoSignal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sender', models.CharField(choices=[('patient', 'pasient'), ('practitioner', 'behandler')], max_length=12, verbose_name='avsender')),
                ('kind', models.CharField(choices=[('join', 'kom inn i rommet'), ('admit', 'sluppet inn'), ('offer', 'tilbud (WebRTC)'), ('answer', 'svar (WebRTC)'), ('candidate', 'nettverksadresse (WebRTC)'), ('media', 'kamera eller mikrofon av/på'), ('leave', 'forlot rommet')], max_length=10, verbose_name='slag')),
                ('payload', models.JSONField(blank=True, default=dict, verbose_name='innhold')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='sendt')),
                ('appointment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='video_signals', to='booking.appointment', verbose_name='timeavtale')),
            ],
            options={
                'verbose_name': 'signal i videorom',
                'verbose_name_plural': 'signaler i videorom',
                'db_table': 'booking_videosignal',
                'ordering': ['pk'],
                'indexes': [models.Index(fields=['appointment', 'sender', 'id'], name='video_signal_cursor')],
                'constraints': [models.CheckConstraint(condition=models.Q(('sender__in', ['patient', 'practitioner'])), name='video_signal_sender'), models.CheckConstraint(condition=models.Q(('kind__in', ['join', 'admit', 'offer', 'answer', 'candidate', 'media', 'leave'])), name='video_signal_kind'), models.CheckConstraint(condition=models.Q(('kind', 'admit'), ('sender', 'patient'), _negated=True), name='video_signal_only_practitioner_admits')],
            },
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[])]
