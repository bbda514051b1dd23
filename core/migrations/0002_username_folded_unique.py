"""No two users whose names differ only in case or character form (``core.usernames``): a unique index on the
folded username of Django's own user table. PostgreSQL folds with NFKC and lower(); SQLite has no NFKC, and
its lower() folds only ASCII letters."""

from django.db import migrations

INDEX = "auth_user_username_folded_uniq"
FOLD = {"postgresql": "lower(normalize(username, NFKC))", "sqlite": "lower(username)"}


def create_index(apps, schema_editor):
    fold = FOLD.get(schema_editor.connection.vendor)
    if fold is None:
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT {fold} FROM auth_user GROUP BY {fold} HAVING COUNT(*) > 1")
        clashes = [row[0] for row in cursor.fetchall()]
    if clashes:
        raise RuntimeError(
            "Some users' names differ only in case or character form; rename all but one of each before "
            f"migrating: {', '.join(sorted(clashes))}"
        )
    schema_editor.execute(f"CREATE UNIQUE INDEX {INDEX} ON auth_user ({fold})")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor in FOLD:
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_login_throttle"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
