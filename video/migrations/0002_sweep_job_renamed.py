# The periodic job that deletes closed rooms' signals was «booking-video-sweep» (booking.tasks.video_sweep_task);
# it is now «video-sweep» (video.tasks.video_sweep_task). Beat adds the new one from the schedule by itself but
# never removes a job it no longer has, so the old row, whose task no longer exists, goes here.

from django.db import migrations

OLD_JOB = "booking-video-sweep"


def old_job_removed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=OLD_JOB).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("video", "0001_initial"),
        ("django_celery_beat", "0001_initial"),
    ]

    operations = [migrations.RunPython(old_job_removed, migrations.RunPython.noop)]
