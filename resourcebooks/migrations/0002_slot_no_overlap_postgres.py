"""One timebook is one person's calendar: on PostgreSQL, no two of its slots may overlap.

An exclusion constraint over (timebook, [start, end)) needs btree_gist. SQLite has no such constraint;
there ``slots_publish`` refuses overlaps under a lock on the timebook, and (timebook, start) is unique.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE resourcebooks_slot
    ADD CONSTRAINT slot_no_overlap_per_timebook
    EXCLUDE USING gist (timebook_id WITH =, tstzrange("start", "end", '[)') WITH &&);
"""
DROP = "ALTER TABLE resourcebooks_slot DROP CONSTRAINT IF EXISTS slot_no_overlap_per_timebook;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("resourcebooks", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
