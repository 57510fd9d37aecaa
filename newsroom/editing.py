"""The one write path of an editorial item: every kind's service (``source_save``,
``event_save``, ...) goes through ``item_save``, whoever calls it (the admin's forms and
inlines, revert, commands, the seed loader); bulk imports apply the same rules row-wise
through ``Model.prepared`` and the same workflow, translation and version functions.

In order: the stored row is read once; text is cleaned and derived fields are set
(``prepared``); the item is validated (``full_clean``); the workflow's rules hold (the
status moves only through the workflow service; a publish-time change needs the publish
right and is logged); the row and its relations are written in one version; its
translations follow an edit of the original; readers' pages and the search index hear of
it once (``content_batch``).
"""

import copy
from collections.abc import Iterable, Mapping

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from newsroom.i18n import LANGUAGE_CODES, translated_fields
from newsroom.models import PublishableModel, Status
from newsroom.signals import content_batch, text_only_mark
from newsroom.translations.status import originals, translations_follow_edit
from newsroom.workflow.services import publish_time_log, right_error


def stored_remember(item) -> None:
    """Keep ``item`` as it is now, just read from the database, for its next ``item_save``:
    the admin reads an item, then its form changes it, and the save needs both."""
    item.__dict__.pop("_as_stored", None)
    item._as_stored = copy.copy(item)


def _stored(item):
    """``item`` as stored: as remembered when it was read, or read now."""
    kept = item.__dict__.pop("_as_stored", None)
    if kept is not None and kept.pk == item.pk:
        return kept
    return type(item)._base_manager.filter(pk=item.pk).first() if item.pk else None


def _check_workflow(item, stored, by) -> None:
    if not isinstance(item, PublishableModel):
        return
    old = stored.status if stored else ""
    if stored and item.status != old:
        raise ValidationError(_("The status changes only through the workflow (its actions)."))
    if error := right_error(model=type(item), user=by, old=old or Status.DRAFT, new=item.status):
        raise PermissionDenied(error)
    publish_at = stored.publish_at if stored else None
    if item.publish_at != publish_at and not _may_publish(item, by):
        raise PermissionDenied(_("Only a chief editor may change when an item is published."))


def _text_fields(model) -> set[str]:
    """The columns whose change alters an item's text, never its place in a list: its
    translated fields (unless lists are sorted by them) and its bookkeeping times."""
    ordering = {name.lstrip("-") for name in model._meta.ordering}
    names = [name for name in translated_fields(model) if name not in ordering]
    columns = {f"{name}_{code}" for name in names for code in LANGUAGE_CODES}
    return columns | set(names) | {"created_at", "updated_at"}


def text_only(*, item, stored) -> bool:
    """Whether saving ``item`` over ``stored`` changes its text only (readers' lists keep
    it where it is: the pages that show it change, no other)."""
    if stored is None:
        return False
    text = _text_fields(type(item))
    return all(
        getattr(stored, f.attname) == getattr(item, f.attname)
        for f in type(item)._meta.concrete_fields
        if f.attname not in text
    )


def _may_publish(item, by) -> bool:
    opts = item._meta
    return by is None or by.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


def item_save(
    *,
    item,
    by=None,
    relations: Mapping[str, Iterable] | None = None,
    comment: str = "",
    validated: bool = False,
):
    """Validate and store ``item`` and its many-to-many ``relations`` (name: targets).

    ``validated``: the caller ran the model's ``full_clean`` on these values already (an
    admin form does), so it is not run twice."""
    stored = _stored(item)
    item.prepare()
    if not validated:
        item.full_clean()
    _check_workflow(item, stored, by)
    # Everything that can refuse has run: the writes join the caller's transaction whole.
    with (
        transaction.atomic(savepoint=False),
        content_batch(),
        reversion.create_revision(atomic=False),
    ):
        text_only_mark(item, text_only(item=item, stored=stored))
        item.save()
        for name, targets in (relations or {}).items():
            getattr(item, name).set(targets)
        if by is not None:
            reversion.set_user(by)
        if comment:
            reversion.set_comment(comment)
        if stored is not None:
            if isinstance(item, PublishableModel) and item.publish_at != stored.publish_at:
                publish_time_log(item=item, by=by)
            translations_follow_edit(obj=item, before=originals(stored))
    return item


def delete_error(*, item, by) -> str:
    """Why ``by`` may not delete ``item`` ("" if they may). An event or a source that readers
    see or have seen (anything past a draft in review) is the chief editor's to delete."""
    if by is None or not isinstance(item, PublishableModel):
        return ""
    if item.status in (Status.DRAFT, Status.REVIEW) or _may_publish(item, by):
        return ""
    return _(
        "Only a chief editor may delete an item that readers see or have seen (%(state)s); "
        "unpublish it, or ask a chief editor."
    ) % {"state": Status(item.status).label}


@transaction.atomic
def item_delete(*, item, by=None, reason: str = "") -> None:
    """Delete ``item`` (its history keeps it, with the reason, to recover)."""
    if error := delete_error(item=item, by=by):
        raise PermissionDenied(error)
    with content_batch():
        if reversion.is_registered(type(item)):
            # Its last version, as it is deleted, says who deleted it and why: recovering it
            # starts from there.
            with reversion.create_revision(atomic=False):
                if by is not None:
                    reversion.set_user(by)
                reversion.set_comment(_("Deleted: %(reason)s") % {"reason": reason or "—"})
                reversion.add_to_revision(item)
        item.delete()
