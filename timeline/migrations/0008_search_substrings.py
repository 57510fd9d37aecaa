# Substring search (a Thai word inside a compound, a spelling with or without the
# thanthakhat) served by an index on both databases: an FTS5 trigram table on SQLite, a
# pg_trgm index on PostgreSQL, over the same folded text (timeline.search.SUBSTRING_TEXT):
# title, text and related names, without the zero-width spaces between Thai words and
# without U+0E4C THANTHAKHAT (writers add or leave it out in transliterated names).

from django.db import migrations

GRAMS = "timeline_searchentry_grams"


def _folded(row: str) -> str:
    return (
        f"replace(replace({row}.title || ' ' || {row}.body || ' ' || {row}.extra,"
        " char(8203), ''), char(3660), '')"
    )


# Contentless (the text is stored once, in timeline_searchentry): a row leaves the index
# by the 'delete' command, given the same text it was indexed with.
SQLITE = [
    f"CREATE VIRTUAL TABLE {GRAMS} USING fts5(text, content='', tokenize='trigram')",
    f"""CREATE TRIGGER {GRAMS}_insert AFTER INSERT ON timeline_searchentry BEGIN
        INSERT INTO {GRAMS}(rowid, text) VALUES (new.id, {_folded("new")});
    END""",
    f"""CREATE TRIGGER {GRAMS}_delete AFTER DELETE ON timeline_searchentry BEGIN
        INSERT INTO {GRAMS}({GRAMS}, rowid, text) VALUES ('delete', old.id, {_folded("old")});
    END""",
    f"""CREATE TRIGGER {GRAMS}_update AFTER UPDATE ON timeline_searchentry BEGIN
        INSERT INTO {GRAMS}({GRAMS}, rowid, text) VALUES ('delete', old.id, {_folded("old")});
        INSERT INTO {GRAMS}(rowid, text) VALUES (new.id, {_folded("new")});
    END""",
    f"""INSERT INTO {GRAMS}(rowid, text)
        SELECT id, {_folded("timeline_searchentry")} FROM timeline_searchentry""",
]
SQLITE_REVERSE = [
    *(f"DROP TRIGGER IF EXISTS {GRAMS}_{name}" for name in ("insert", "delete", "update")),
    f"DROP TABLE IF EXISTS {GRAMS}",
]
TRIGRAM = "timeline_searchentry_trigram"
POSTGRESQL = f"""CREATE INDEX {TRIGRAM} ON timeline_searchentry USING gin ((translate(
    title || ' ' || body || ' ' || extra, chr(8203) || chr(3660), '')) gin_trgm_ops)"""
POSTGRESQL_BEFORE = f"""CREATE INDEX {TRIGRAM} ON timeline_searchentry
    USING gin ((translate(title || ' ' || body, chr(8203), '')) gin_trgm_ops)"""


def _has_index(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [TRIGRAM])
        return cursor.fetchone() is not None


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE:
            schema_editor.execute(sql)
    elif vendor == "postgresql" and _has_index(schema_editor):  # 0004 could make it
        schema_editor.execute(f"DROP INDEX {TRIGRAM}")
        schema_editor.execute(POSTGRESQL)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_REVERSE:
            schema_editor.execute(sql)
    elif vendor == "postgresql" and _has_index(schema_editor):
        schema_editor.execute(f"DROP INDEX {TRIGRAM}")
        schema_editor.execute(POSTGRESQL_BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0007_topic_aliases"),
    ]

    operations = [migrations.RunPython(forward, backward)]
