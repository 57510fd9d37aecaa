"""A period whose start is vague (approximate, uncertain or unknown) and whose end is
certain now sits where its end begins (``timeline.dates.sort_position``): its sort columns
are derived again for every event."""

from django.db import migrations


def derive(apps, schema_editor):
    from timeline.dates import parse_fuzzy_date, sort_position

    Event = apps.get_model("timeline", "Event")
    changed = []
    for event in Event.objects.only("pk", "date", "sort_start", "sort_end").iterator():
        try:
            position = sort_position(parse_fuzzy_date(event.date))
        except Exception:  # a date stored before the parser took its form: left as it was
            continue
        if position != (event.sort_start, event.sort_end):
            event.sort_start, event.sort_end = position
            changed.append(event)
    Event.objects.bulk_update(changed, ["sort_start", "sort_end"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("timeline", "0005_event_sort_position")]

    operations = [migrations.RunPython(derive, migrations.RunPython.noop)]
