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
# bulk: written by an import or its undo (listeners may defer slow work to a task).
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
    for (model, bulk), pks in pending.items():
        content_changed.send(sender=model, pks=None if pks is None else sorted(pks), bulk=bulk)


def content_changed_send(*, model, pks: list | None, bulk: bool = False) -> None:
    if not is_content(model):
        return
    pending = getattr(_batch, "pending", None)
    if pending is None:
        content_changed.send(sender=model, pks=pks, bulk=bulk)
        return
    known = pending.setdefault((model, bulk), set())
    if known is not None:
        pending[(model, bulk)] = None if pks is None else known | set(pks)


def _saved_or_deleted(sender, instance, raw=False, **kwargs):
    if not raw:  # loaddata: the loader reindexes and clears as a whole
        content_changed_send(model=sender, pks=[instance.pk])


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
