"""A dialogue's kind, patient and office are stored once, on its Innboks thread (issue 21, item 4).

They were copied onto ``Dialogue`` with nothing keeping the copies equal. The services always wrote both the
same, so a difference can only come from a hand edit; where one is found, the copy the app acted on is kept:

- ``kind`` and ``organisation``: the dialogue's. The clinic's side read them there (who sees it, where it is
  routed, the journal note, the outcome), and the two CHECKs below held the dialogue's kind, not the thread's,
  to its journalling and outcome. They are written onto the thread.
- ``citizen``: the thread's. Every message of the conversation names the thread's person (``InboxMessage.citizen``
  is written from it), their Innboks lists it and only they (or those acting for them) may answer it; moving the
  thread to the dialogue's person would show it to someone who cannot open its messages. It stays.

The two CHECKs that joined the kind to the dialogue's own columns cannot see another table; triggers on both
tables keep the same rules under the same names (PostgreSQL and SQLite).

On SQLite, Django alters a table by copying it and renaming the copy, and the rename fails while a trigger names
the table («error in trigger dialogue_…: no such table: main.inbox_thread»): a later migration that alters
``inbox_thread`` or ``dialogues_dialogue`` on SQLite drops the triggers first (``SQLITE_NAMES``) and creates them
again after (``_sqlite_triggers``). PostgreSQL alters in place and keeps them.
"""

from __future__ import annotations

from django.db import migrations, models

CONSULTATION, PRESCRIPTION = "e_konsultasjon", "reseptfornyelse"
JOURNALLED, OUTCOME = "dialogue_consultation_journalled", "dialogue_outcome_only_prescriptions"


def _immediate(schema_editor) -> None:  # type: ignore[no-untyped-def]
    # The rows written here fire PostgreSQL's deferred foreign-key checks; run them now, before the ALTERs that
    # follow in this transaction (which refuse a table with pending trigger events).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def onto_thread(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    """Where the copies differ, the dialogue's kind and office become the thread's (see the docstring)."""
    dialogue_model = apps.get_model("dialogues", "Dialogue")
    thread_model = apps.get_model("inbox", "Thread")
    differing = dialogue_model.objects.exclude(kind=models.F("thread__kind"), organisation=models.F("thread__organisation"))
    for dialogue in differing.only("thread_id", "kind", "organisation_id").iterator():
        thread_model.objects.filter(pk=dialogue.thread_id).update(
            kind=dialogue.kind, organisation_id=dialogue.organisation_id
        )
    _immediate(schema_editor)


def from_thread(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    """Backwards: the copies again, from the thread."""
    dialogue_model = apps.get_model("dialogues", "Dialogue")
    for dialogue in dialogue_model.objects.select_related("thread").iterator():
        thread = dialogue.thread
        dialogue_model.objects.filter(pk=dialogue.pk).update(
            kind=thread.kind, citizen_id=thread.citizen_id, organisation_id=thread.organisation_id
        )
    _immediate(schema_editor)


# PostgreSQL: the dialogue's row looks up its thread's kind (and holds it, FOR SHARE, until the end of the
# transaction, so that a conversion running alongside waits); a thread whose kind changes looks up its dialogue.
POSTGRESQL = f"""
CREATE FUNCTION dialogue_kind_rules() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    thread_kind text;
BEGIN
    SELECT kind INTO thread_kind FROM inbox_thread WHERE id = NEW.thread_id FOR SHARE;
    IF thread_kind = '{CONSULTATION}' AND NEW.journalled_at IS NULL THEN
        RAISE EXCEPTION 'new row for relation "dialogues_dialogue" violates check constraint "{JOURNALLED}"'
            USING ERRCODE = 'check_violation', CONSTRAINT = '{JOURNALLED}';
    END IF;
    IF NEW.outcome <> '' AND thread_kind IS DISTINCT FROM '{PRESCRIPTION}' THEN
        RAISE EXCEPTION 'new row for relation "dialogues_dialogue" violates check constraint "{OUTCOME}"'
            USING ERRCODE = 'check_violation', CONSTRAINT = '{OUTCOME}';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER dialogue_kind_rules BEFORE INSERT OR UPDATE ON dialogues_dialogue
    FOR EACH ROW WHEN (NEW.journalled_at IS NULL OR NEW.outcome <> '') EXECUTE FUNCTION dialogue_kind_rules();

CREATE FUNCTION thread_dialogue_kind_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind = '{CONSULTATION}'
        AND EXISTS (SELECT 1 FROM dialogues_dialogue WHERE thread_id = NEW.id AND journalled_at IS NULL) THEN
        RAISE EXCEPTION 'a dialogue of thread % violates check constraint "{JOURNALLED}"', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = '{JOURNALLED}';
    END IF;
    IF NEW.kind <> '{PRESCRIPTION}'
        AND EXISTS (SELECT 1 FROM dialogues_dialogue WHERE thread_id = NEW.id AND outcome <> '') THEN
        RAISE EXCEPTION 'a dialogue of thread % violates check constraint "{OUTCOME}"', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = '{OUTCOME}';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER thread_dialogue_kind_rules BEFORE UPDATE OF kind ON inbox_thread
    FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind) EXECUTE FUNCTION thread_dialogue_kind_rules();
"""

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS thread_dialogue_kind_rules ON inbox_thread;
DROP FUNCTION IF EXISTS thread_dialogue_kind_rules();
DROP TRIGGER IF EXISTS dialogue_kind_rules ON dialogues_dialogue;
DROP FUNCTION IF EXISTS dialogue_kind_rules();
"""

# SQLite: one trigger per rule and event (it has no INSERT OR UPDATE); RAISE(ABORT) is an IntegrityError.
_THREAD_KIND = "(SELECT kind FROM inbox_thread WHERE id = NEW.thread_id)"
_BROKEN = {
    JOURNALLED: (f"NEW.journalled_at IS NULL AND {_THREAD_KIND} = '{CONSULTATION}'", f"NEW.kind = '{CONSULTATION}'", "journalled_at IS NULL"),
    OUTCOME: (f"NEW.outcome <> '' AND {_THREAD_KIND} IS NOT '{PRESCRIPTION}'", f"NEW.kind <> '{PRESCRIPTION}'", "outcome <> ''"),
}
SQLITE_NAMES = [f"{rule}_{event}" for rule in _BROKEN for event in ("insert", "update", "thread")]


def _sqlite_triggers() -> list[str]:
    statements = []
    for rule, (dialogue_broken, thread_kind, dialogue_column) in _BROKEN.items():
        fail = f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {rule}'); END"
        statements += [
            f"CREATE TRIGGER {rule}_insert BEFORE INSERT ON dialogues_dialogue WHEN {dialogue_broken} {fail}",
            f"CREATE TRIGGER {rule}_update BEFORE UPDATE ON dialogues_dialogue WHEN {dialogue_broken} {fail}",
            f"CREATE TRIGGER {rule}_thread BEFORE UPDATE OF kind ON inbox_thread WHEN {thread_kind} AND EXISTS "
            f"(SELECT 1 FROM dialogues_dialogue WHERE thread_id = NEW.id AND {dialogue_column}) {fail}",
        ]
    return statements


def triggers_create(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL, params=None)  # no placeholders: its % are plpgsql's
    elif vendor == "sqlite":
        for statement in _sqlite_triggers():
            schema_editor.execute(statement)


def triggers_drop(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP, params=None)
    elif vendor == "sqlite":
        for name in SQLITE_NAMES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0002_readable_constraint_messages"),
        ("inbox", "0005_thread_hidden_from_parents"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="dialogue", name=JOURNALLED),
        migrations.RemoveConstraint(model_name="dialogue", name=OUTCOME),
        # Nullable first, so that going back adds the columns empty and ``from_thread`` fills them.
        migrations.AlterField(
            model_name="dialogue",
            name="kind",
            field=models.CharField(max_length=20, null=True, verbose_name="type"),
        ),
        migrations.AlterField(
            model_name="dialogue",
            name="citizen",
            field=models.ForeignKey(
                null=True, on_delete=models.deletion.CASCADE, related_name="dialogues", to="citizens.citizen"
            ),
        ),
        migrations.AlterField(
            model_name="dialogue",
            name="organisation",
            field=models.ForeignKey(
                null=True, on_delete=models.deletion.CASCADE, related_name="dialogues", to="addressregistry.organisation"
            ),
        ),
        migrations.RunPython(onto_thread, from_thread),
        migrations.RemoveField(model_name="dialogue", name="kind"),
        migrations.RemoveField(model_name="dialogue", name="citizen"),
        migrations.RemoveField(model_name="dialogue", name="organisation"),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
