# Test persons made by the test login before issue 11 were named «Testperson <the number's last five digits>»,
# so their masked number (first six digits shown) could be rebuilt from the name. Give them a neutral surname.
# The numbers were synthetic test numbers; the names carry no information worth keeping.

from django.db import migrations

NEUTRAL = ("Nordmann", "Hansen", "Olsen", "Larsen", "Berg", "Dahl", "Lund", "Haugen", "Bakke", "Strand")


def rename(apps, schema_editor):
    Citizen = apps.get_model("citizens", "Citizen")
    User = apps.get_model("auth", "User")
    for citizen in Citizen.objects.filter(first_name="Testperson").only("pk", "national_id", "last_name", "user_id"):
        if citizen.last_name != citizen.national_id[-5:]:
            continue
        name = NEUTRAL[citizen.pk % len(NEUTRAL)]
        Citizen.objects.filter(pk=citizen.pk).update(last_name=name)
        User.objects.filter(pk=citizen.user_id, last_name=citizen.national_id[-5:]).update(last_name=name)


class Migration(migrations.Migration):

    dependencies = [
        ("citizens", "0003_norwegian_names"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
