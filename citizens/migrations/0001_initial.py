# Citizens move from booking to their own app. The tables stay where they are (booking_citizen,
# booking_representation), so this only tells Django's state; no row moves and no table is touched.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import core.national_id


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("addressregistry", "0001_initial"),
        ("booking", "0003_invitation_campaigns"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="Citizen",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("national_id", models.CharField(max_length=11, unique=True, validators=[core.national_id.validate_national_id], verbose_name="fødselsnummer")),
                ("first_name", models.CharField(max_length=100, verbose_name="fornavn")),
                ("last_name", models.CharField(max_length=100, verbose_name="etternavn")),
                ("phone", models.CharField(blank=True, max_length=20, verbose_name="mobilnummer")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-post")),
                ("notify_sms", models.BooleanField(default=True, verbose_name="varsel på SMS")),
                ("notify_email", models.BooleanField(default=False, verbose_name="varsel på e-post")),
                ("notify_push", models.BooleanField(default=True, verbose_name="varsel i Helsenorge-appen")),
                ("active_on_portal", models.BooleanField(default=True, verbose_name="aktiv på Helsenorge")),
                ("digital_contact_consent", models.BooleanField(default=True, verbose_name="samtykke til digital kontakt")),
                ("listed_on_test_login", models.BooleanField(default=False, verbose_name="vises på testinnloggingen")),
                ("gp_office", models.ForeignKey(blank=True, limit_choices_to={"kind": "gp_office"}, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="gp_list_patients", to="addressregistry.organisation", verbose_name="fastlegekontor")),
                ("municipality", models.ForeignKey(limit_choices_to={"kind": "municipality"}, on_delete=django.db.models.deletion.PROTECT, related_name="residents", to="addressregistry.organisation", verbose_name="bostedskommune")),
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="citizen", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "innbygger",
                "verbose_name_plural": "innbyggere",
                "db_table": "booking_citizen",
                "ordering": ["last_name", "first_name"],
            },
        ),
        migrations.CreateModel(
            name="Representation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("parent", "Foreldreansvar"), ("power_of_attorney", "Fullmakt")], max_length=20, verbose_name="type")),
                ("representative", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="represents", to="citizens.citizen")),
                ("represented", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="represented_by", to="citizens.citizen")),
            ],
            options={
                "verbose_name": "representasjon",
                "verbose_name_plural": "representasjoner",
                "db_table": "booking_representation",
                "constraints": [models.UniqueConstraint(fields=("representative", "represented"), name="representation_unique"), models.CheckConstraint(condition=models.Q(("representative", models.F("represented")), _negated=True), name="representation_not_self")],
            },
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[])]
