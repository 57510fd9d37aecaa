"""The (source, event) index: the sources list counts each source's events from it alone
(``timeline.selectors.with_event_count``: an index-only count per source, where joining
every citation to its event cost 0.3 s at 50,000 events)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0011_person_aliases'),
        ('timeline', '0009_event_sorts_as'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='citation',
            index=models.Index(fields=['source', 'event'], name='citation_source_event'),
        ),
    ]
