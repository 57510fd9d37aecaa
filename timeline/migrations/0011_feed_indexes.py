"""The published events newest first by creation, for the feeds
(``newsroom.publishing.times.latest_changed``), read along an index, not sorted whole."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('timeline', '0010_citation_source_event'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['status', 'created_at'], name='event_created'),
        ),
    ]
