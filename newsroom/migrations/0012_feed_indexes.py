"""The workflow log read along indexes: an item's last publication (its history's index,
now with the status and the time), and the items published last, newest first, for the feeds
(``newsroom.publishing.times.latest_changed`` reads a few rows, not every log entry)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('newsroom', '0011_person_aliases'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='workflowlog',
            name='workflowlog_item',
        ),
        migrations.AddIndex(
            model_name='workflowlog',
            index=models.Index(fields=['content_type', 'object_id', 'to_status', 'at'], name='workflowlog_item'),
        ),
        migrations.AddIndex(
            model_name='workflowlog',
            index=models.Index(fields=['content_type', 'to_status', 'at'], name='workflowlog_latest'),
        ),
    ]
