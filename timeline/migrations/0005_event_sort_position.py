"""Where each event sits, as two columns that are never null (an unknown start sorts first,
an unknown end last), and the indexes every public read walks:

- ``event_order`` (status, sort_start, sort_end, slug, publish_at): the whole timeline's order, previous
  and next on an event page, the feeds and the sitemap (published rows, in order, by range);
- ``event_era_order`` (status, era, sort_start, sort_end, slug, publish_at): the timeline's pages era by
  era, and their jump links by year.

``publish_at`` comes last so that "published, and its time has come" is answered from the
index alone, without reading the rows it skips (a page deep in the timeline skips many).
They replace ``event_public_order`` (status, date_start, date_end), which could not serve
the nulls-first order nor previous/next (a sort on computed keys).
"""

import datetime

from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Event = apps.get_model("timeline", "Event")
    Event.objects.update(
        sort_start=Coalesce("date_start", Value(datetime.date.min)),
        sort_end=Coalesce("date_end", Value(datetime.date.max)),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0004_search_entry"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="event",
            options={
                "ordering": ["sort_start", "sort_end", "slug"],
                "permissions": [
                    ("import_event", "Can import from a file"),
                    ("export_event", "Can export to a file"),
                    ("publish_event", "Can publish, unpublish and archive"),
                ],
                "verbose_name": "event",
                "verbose_name_plural": "events",
            },
        ),
        migrations.RemoveIndex(
            model_name="event",
            name="event_public_order",
        ),
        migrations.AddField(
            model_name="event",
            name="sort_end",
            field=models.DateField(
                default=datetime.date(9999, 12, 31), editable=False, verbose_name="sorts to"
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="sort_start",
            field=models.DateField(
                default=datetime.date(1, 1, 1), editable=False, verbose_name="sorts from"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                fields=["status", "sort_start", "sort_end", "slug", "publish_at"], name="event_order"
            ),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                fields=["status", "era", "sort_start", "sort_end", "slug", "publish_at"],
                name="event_era_order",
            ),
        ),
    ]
