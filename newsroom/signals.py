"""One signal for "what readers see may have changed", whatever wrote it.

Model.save()/delete() and relation changes are bridged here from Django's own
signals; the bulk paths that bypass them (imports, undo, workflow transitions)
call ``content_changed_send``. Listeners (the page cache, the search index)
connect to ``content_changed`` only.
"""

import threading
from contextlib import contextmanager

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

# sender: the model class; pks: the primary keys written (None: unknown, treat as all);
# bulk: written by an import or its undo (listeners may defer slow work to a task);
# listed: the pks whose write may make them appear in, leave or move in lists (None: all;
# [] for an edit of text only); shown_on: (model, pk) of the items whose pages show the rows
# written (a citation is shown on its event's and its source's pages).
content_changed = Signal()

CONTENT_APPS = {"newsroom", "timeline"}
# Bookkeeping models whose writes readers never see.
NOT_CONTENT = {
    "importrecord",
    "importchange",
    "workflowlog",
    "translationstate",
    "searchentry",
}


def is_content(model) -> bool:
    opts = model._meta
    return opts.app_label in CONTENT_APPS and opts.model_name not in NOT_CONTENT


_batch = threading.local()


@contextmanager
def content_batch():
    """Gather what readers may see change in the block and tell the listeners once, at its
    end: an admin save writes the row, its relations and its inlines, and the search index
    would otherwise cut the same Thai into words once for each. Nested blocks join the outer."""
    if getattr(_batch, "pending", None) is not None:
        yield
        return
    _batch.pending = pending = {}
    try:
        yield
    finally:
        _batch.pending = None
    for (model, bulk), change in pending.items():
        content_changed.send(sender=model, bulk=bulk, **change.sent())


class _Change:
    """The writes of one model gathered in a batch."""

    def __init__(self):
        self.pks, self.listed, self.shown_on = set(), set(), set()

    def add(self, pks, listed: bool, shown_on) -> None:
        if listed:
            self.listed = None if pks is None or self.listed is None else self.listed | set(pks)
        self.pks = None if pks is None or self.pks is None else self.pks | set(pks)
        self.shown_on.update(shown_on)

    def sent(self) -> dict:
        listed = None if self.listed is None else sorted(self.listed)
        pks = None if self.pks is None else sorted(self.pks)
        return {"pks": pks, "listed": listed, "shown_on": sorted(self.shown_on, key=str)}


def content_changed_send(
    *, model, pks: list | None, bulk: bool = False, listed: bool = True, shown_on=()
) -> None:
    """Tell the listeners (at the end of the batch, if in one) that readers may see ``pks``
    of ``model`` changed; ``listed=False``: their text only (no list gains, loses or
    reorders them); ``shown_on``: (model, pk) of the items whose pages show them."""
    if not is_content(model):
        return
    change = _Change()
    change.add(pks, listed, shown_on)
    pending = getattr(_batch, "pending", None)
    if pending is None:
        content_changed.send(sender=model, bulk=bulk, **change.sent())
        return
    pending.setdefault((model, bulk), _Change()).add(pks, listed, shown_on)


def text_only_mark(instance, text_only: bool) -> None:
    """Say, before ``instance.save()``, that the write changes its text only (the bridge
    then reports it as not ``listed``): the one write path (``item_save``) knows."""
    instance._text_only_write = text_only


def shown_on(instance) -> list[tuple]:
    """The items whose pages show ``instance`` (its model's ``SHOWN_ON`` foreign keys)."""
    items = []
    for name in getattr(type(instance), "SHOWN_ON", ()):
        relation = type(instance)._meta.get_field(name)
        if (pk := getattr(instance, relation.attname)) is not None:
            items.append((relation.related_model, pk))
    return items


def _saved_or_deleted(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the loader reindexes and clears as a whole
        return
    # A row shown on other items' pages (a citation, a quote, a note) is in no list itself.
    text_only = instance.__dict__.pop("_text_only_write", False)
    listed = not (text_only or hasattr(sender, "SHOWN_ON"))
    content_changed_send(
        model=sender, pks=[instance.pk], listed=listed, shown_on=shown_on(instance)
    )


def _relation_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        content_changed_send(model=type(instance), pks=[instance.pk])


def bridge_connect() -> None:
    """Connect the bridge for content models only (called once the models are loaded).

    A receiver without a sender would listen to every model, and Django then deletes rows
    of any model one by one to send them the signal: the search index and the import
    bookkeeping keep their single-statement deletes this way.
    """
    for model in apps.get_models():
        if not is_content(model):
            continue
        post_save.connect(_saved_or_deleted, sender=model, dispatch_uid=f"bridge-save-{model}")
        post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid=f"bridge-del-{model}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _relation_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"bridge-m2m-{model}-{field.name}",
            )
