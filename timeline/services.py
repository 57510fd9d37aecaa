"""Writes to the timeline: one service per kind of item, for every entry point (the admin's
forms, inlines and actions, revert, commands); each goes through ``newsroom.editing``."""

from collections.abc import Iterable

from newsroom.editing import item_delete, item_save
from timeline.models import Citation, Era, Event, Topic


def event_save(
    *,
    event: Event,
    by=None,
    topics: Iterable | None = None,
    people: Iterable | None = None,
    comment: str = "",
    validated: bool = False,
) -> Event:
    """Validate and store an event (text cleaned, date bounds derived) and, if given, its
    topics and people; a change to its original (Thai) text makes its translations stale."""
    relations = {
        name: targets
        for name, targets in (("topics", topics), ("people", people))
        if targets is not None
    }
    return item_save(item=event, by=by, relations=relations, comment=comment, validated=validated)


def era_save(*, era: Era, by=None, validated: bool = False) -> Era:
    return item_save(item=era, by=by, validated=validated)


def topic_save(*, topic: Topic, by=None, validated: bool = False) -> Topic:
    return item_save(item=topic, by=by, validated=validated)


def citation_save(*, citation: Citation, by=None, validated: bool = False) -> Citation:
    return item_save(item=citation, by=by, validated=validated)


def citation_delete(*, citation: Citation, by=None) -> None:
    item_delete(item=citation, by=by)
