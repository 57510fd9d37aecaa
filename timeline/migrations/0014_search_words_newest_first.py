# SQLite's word index numbers its rows in the order the search lists the newest matches:
# rowid = newest_prefix + id, where newest_prefix holds the entry's language (its place in
# settings.LANGUAGES) and its day (date_start's ordinal, 0 when undated):
#
#     bits 54 and up: language | bits 32 to 53: day | bits 0 to 31: the entry's id
#
# (timeline.search.newest_prefix). A word's matches read by FTS5 backwards along its rowids,
# within the language's range, are its newest entries first, the undated last, the latest
# id first among equals: the order of search_entry_newest (migration 0012). A search for a
# word in most of the archive then reads the few hundred rows it lists instead of building
# the list of every match (93,808 rows for "Pyongyang" at 50,000 events) to sort it.
#
# The table becomes contentless (content=''), like the trigram table (0008): an external
# content table's rowid must be its content's. Nothing reads its columns back (snippets are
# made in Python); bm25 needs only the index. A row leaves it by the 'delete' command given
# the text it was indexed with, which the triggers have.
#
# Applying it rebuilds SQLite's word index from the entries: about 3 minutes for a site of
# 50,000 events (100,000 entries) on the 2-core machine; PostgreSQL only fills the column.
#
# The column is added by ALTER TABLE (NOT NULL DEFAULT 0): Django's AddField would make
# SQLite's table again, and drop the triggers and indexes of 0004, 0008 and 0012 with it.

from django.conf import settings
from django.db import migrations, models

FTS = "timeline_searchentry_fts"
ID_BITS, DAY_BITS = 32, 22
ADD_COLUMN = "ALTER TABLE timeline_searchentry ADD COLUMN newest_prefix bigint DEFAULT 0 NOT NULL"
DAY = {  # date.toordinal(): 0001-01-01 is 1
    "sqlite": "CAST(julianday(date_start) - 1721424.5 AS INTEGER)",
    "postgresql": "(date_start - DATE '0001-01-01' + 1)",
}
TOKENIZE = "tokenize=\"unicode61 categories 'L* N* Co M*'\""  # as 0004: Thai marks kept
ROW = "{row}.newest_prefix + {row}.id"
SQLITE = [
    f"DROP TRIGGER {FTS}_insert",
    f"DROP TRIGGER {FTS}_delete",
    f"DROP TRIGGER {FTS}_update",
    f"DROP TABLE {FTS}",
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(title, body, extra, content='', {TOKENIZE})",
    f"""CREATE TRIGGER {FTS}_insert AFTER INSERT ON timeline_searchentry BEGIN
        INSERT INTO {FTS}(rowid, title, body, extra)
        VALUES ({ROW.format(row="new")}, new.title, new.body, new.extra);
    END""",
    f"""CREATE TRIGGER {FTS}_delete AFTER DELETE ON timeline_searchentry BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, body, extra)
        VALUES ('delete', {ROW.format(row="old")}, old.title, old.body, old.extra);
    END""",
    f"""CREATE TRIGGER {FTS}_update AFTER UPDATE ON timeline_searchentry BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, body, extra)
        VALUES ('delete', {ROW.format(row="old")}, old.title, old.body, old.extra);
        INSERT INTO {FTS}(rowid, title, body, extra)
        VALUES ({ROW.format(row="new")}, new.title, new.body, new.extra);
    END""",
    f"""INSERT INTO {FTS}(rowid, title, body, extra)
        SELECT {ROW.format(row="timeline_searchentry")}, title, body, extra
        FROM timeline_searchentry""",
]
# Back to 0004's table: rowid = id, the text read from timeline_searchentry.
SQLITE_REVERSE = [
    f"DROP TRIGGER {FTS}_insert",
    f"DROP TRIGGER {FTS}_delete",
    f"DROP TRIGGER {FTS}_update",
    f"DROP TABLE {FTS}",
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(title, body, extra,
        content='timeline_searchentry', content_rowid='id', {TOKENIZE})""",
    f"""CREATE TRIGGER {FTS}_insert AFTER INSERT ON timeline_searchentry BEGIN
        INSERT INTO {FTS}(rowid, title, body, extra)
        VALUES (new.id, new.title, new.body, new.extra);
    END""",
    f"""CREATE TRIGGER {FTS}_delete AFTER DELETE ON timeline_searchentry BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, body, extra)
        VALUES ('delete', old.id, old.title, old.body, old.extra);
    END""",
    f"""CREATE TRIGGER {FTS}_update AFTER UPDATE ON timeline_searchentry BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, body, extra)
        VALUES ('delete', old.id, old.title, old.body, old.extra);
        INSERT INTO {FTS}(rowid, title, body, extra)
        VALUES (new.id, new.title, new.body, new.extra);
    END""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]


def _fill(schema_editor) -> None:
    """Every entry's newest_prefix, as timeline.search.newest_prefix makes it."""
    vendor = schema_editor.connection.vendor
    day = f"COALESCE({DAY[vendor]}, 0)" if vendor in DAY else "0"
    codes = [code for code, _name in settings.LANGUAGES]
    position = " ".join(f"WHEN '{code}' THEN {n}" for n, code in enumerate(codes))
    schema_editor.execute(
        "UPDATE timeline_searchentry SET newest_prefix ="
        f" (CASE language {position} ELSE {len(codes)} END) * {1 << (ID_BITS + DAY_BITS)}"
        f" + {day} * {1 << ID_BITS}"
    )


def forward(apps, schema_editor):
    schema_editor.execute(ADD_COLUMN)
    _fill(schema_editor)
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_REVERSE:
            schema_editor.execute(sql)
    schema_editor.execute("ALTER TABLE timeline_searchentry DROP COLUMN newest_prefix")


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0013_search_substrings_folded"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forward, backward)],
            state_operations=[
                migrations.AddField(
                    model_name="searchentry",
                    name="newest_prefix",
                    field=models.BigIntegerField(
                        db_default=0, editable=False, verbose_name="place among the newest"
                    ),
                ),
            ],
        ),
    ]
