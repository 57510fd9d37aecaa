# PostgreSQL: the word index's vectors kept in the row, not in the TOAST table. A search's
# newest matches are read along search_entry_newest, each entry's vector checked in turn
# (timeline.search._newest): a vector of 2 kB or more (a Thai entry's: 6 kB) was stored out
# of line, and fetching it back cost 5 to 10 µs an entry, most of a search's time (Thai
# "Pyongyang" at 50,000 events: 9 to 12 ms for 1,711 entries; inline, 2.8 ms). A row may
# now fill a page before its values move out (toast_tuple_target), and the vector is the
# last to move (STORAGE MAIN): an entry longer than a page (a source's full text) still
# fits, its texts moved out first. The texts stay in the row too, where the walk for parts of
# words reads them (_newest_inside). The entries written before are written again under the
# new storage: about 2 minutes for 100,000 entries (their indexes with them); the old rows'
# space is reused by the table (VACUUM FULL gives it back to the disk). Stored so, 100,000
# entries took 788 MB where they had taken 1,045 MB: TOAST's chunks and index cost more than
# the pages saved.
# SQLite keeps its own index (FTS5): nothing changes there.

from django.db import migrations

# Each value written anew (an unchanged one would keep its place out of line); the vector,
# a stored generated column, is made again when its row is updated.
REWRITE = (
    "UPDATE timeline_searchentry SET title = title || '', body = body || '', extra = extra || ''"
)
FORWARD = [
    "ALTER TABLE timeline_searchentry SET (toast_tuple_target = 8160)",
    "ALTER TABLE timeline_searchentry ALTER COLUMN search_vector SET STORAGE MAIN",
    REWRITE,
]
BACKWARD = [
    "ALTER TABLE timeline_searchentry RESET (toast_tuple_target)",
    "ALTER TABLE timeline_searchentry ALTER COLUMN search_vector SET STORAGE EXTENDED",
    REWRITE,
]


def _run(schema_editor, statements: list[str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in statements:
        schema_editor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0015_event_year"),
    ]

    operations = [migrations.RunPython(forward, backward)]
