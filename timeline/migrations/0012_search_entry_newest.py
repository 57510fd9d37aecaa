# The newest search entries of a language first (events by their date, the undated after,
# the latest id first among equals): what timeline.search walks, stopping after
# RANK_LIMIT + 1 matches, when more match than it ranks. It holds the kind and object id
# too, which the check that readers may see the item reads. SQLite has no NULLS LAST in
# an index, and needs none: walked backwards, its ascending index puts the undated last.

from django.db import migrations

NAME = "search_entry_newest"
SQL = {
    "sqlite": f"""CREATE INDEX {NAME} ON timeline_searchentry
        (language, date_start, id, kind, object_id)""",
    "postgresql": f"""CREATE INDEX {NAME} ON timeline_searchentry
        (language, date_start DESC NULLS LAST, id DESC) INCLUDE (kind, object_id)""",
}


def forward(apps, schema_editor):
    if sql := SQL.get(schema_editor.connection.vendor):
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor in SQL:
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0011_feed_indexes"),
    ]

    operations = [migrations.RunPython(forward, backward)]
