"""The content-changed bridge: every content write is heard, bookkeeping is left alone."""

import pytest

from newsroom.signals import content_changed
from timeline.models import Event, SearchEntry

pytestmark = pytest.mark.django_db


def test_saves_and_relation_changes_of_content_are_heard():
    heard = []

    def listener(sender, pks, **kwargs):
        heard.append((sender, pks))

    content_changed.connect(listener)
    try:
        event = Event.objects.published().first()
        event.save()
        event.topics.clear()
    finally:
        content_changed.disconnect(listener)
    assert heard == [(Event, [event.pk]), (Event, [event.pk])]


def test_the_search_index_is_deleted_in_one_statement(django_assert_num_queries):
    # No listener on the index's deletes: Django need not fetch and signal row by row.
    assert SearchEntry.objects.count() > 0
    with django_assert_num_queries(1):
        SearchEntry.objects.filter(kind="event").delete()
