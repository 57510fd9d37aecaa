"""The editorial workflow: which moves exist, who may make them, and the log of each.

Every entry point (admin actions, the change form, imports, commands) moves items
through ``item_transition``, or for imports through ``transition_error`` and ``log_rows``:
the rules (the moves, the rights, no publishing without a source) are checked here only.
"""

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.accounts import translator_language
from newsroom.imports.sql import insert_rows
from newsroom.models import Status, WorkflowLog
from newsroom.signals import content_changed_send

TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED},
    Status.REVIEW: {Status.DRAFT, Status.PUBLISHED},
    Status.PUBLISHED: {Status.DRAFT, Status.UNPUBLISHED, Status.ARCHIVED},
    Status.UNPUBLISHED: {Status.DRAFT, Status.PUBLISHED, Status.ARCHIVED},
    Status.ARCHIVED: {Status.DRAFT},
}
# Moving an item to, or away from, the public needs the publish right.
PUBLIC_STATES = {Status.PUBLISHED, Status.UNPUBLISHED, Status.ARCHIVED}


def _label(state: str) -> str:
    return str(Status(state).label) if state in Status.values else state


def move_error(old: str, new: str) -> str:
    """Why no item may go from ``old`` to ``new`` ("" if the workflow allows it)."""
    if old and new != old and new not in TRANSITIONS.get(old, set()):
        return _("an item that is %(old)s cannot become %(new)s") % {
            "old": _label(old),
            "new": _label(new),
        }
    return ""


def right_error(*, model, user, old: str, new: str) -> str:
    """Why ``user`` may not make that move ("" if allowed; None is the system itself)."""
    if user is None or new == old:
        return ""
    if translator_language(user):
        return _("translators do not move items in the workflow")
    opts = model._meta
    if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        return _("you may not change %(things)s") % {"things": opts.verbose_name_plural}
    if (new in PUBLIC_STATES or old == Status.PUBLISHED) and not user.has_perm(
        f"{opts.app_label}.publish_{opts.model_name}"
    ):
        return _("only a chief editor may make an item %(new)s") % {"new": _label(new)}
    return ""


def moves_open(*, item, user) -> list[str]:
    """The states ``user`` may move ``item`` to now, in the workflow's order."""
    targets = TRANSITIONS.get(item.status, set())
    return [
        state
        for state in Status.values
        if state in targets
        and not right_error(model=type(item), user=user, old=item.status, new=state)
    ]


def unsourced(model, pks) -> set:
    """Of ``pks``, the items that rest on no source yet: the relation their model names in
    ``publish_requires`` (an event's ``sources``, through its citations) is empty."""
    name = getattr(model, "publish_requires", "")
    if not name or not pks:
        return set()
    rows = model._base_manager.filter(pk__in=pks, **{f"{name}__isnull": True})
    return set(rows.values_list("pk", flat=True))


def source_error(*, model, user, old: str, new: str, is_unsourced: bool, override: str) -> str:
    """Why an item that cites no source may not be published ("" if it may): readers are
    promised that every event cites its source. A chief editor may publish it anyway, giving
    the reason (``override``), which the workflow log keeps."""
    if new != Status.PUBLISHED or old == new or not is_unsourced:
        return ""
    opts = model._meta
    if (
        override.strip()
        and user is not None
        and user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")
    ):
        return ""
    return _(
        "this %(item)s cites no source: add a citation before publishing it (only a chief "
        "editor may publish it without one, giving the reason)"
    ) % {"item": opts.verbose_name}


def source_removal_error(*, model, status: str, had: bool, keeps: bool) -> str:
    """Why a published (or scheduled) item may not lose its last source ("" if it may): the
    promise that every event cites its source holds after publishing too."""
    if status != Status.PUBLISHED or not had or keeps:
        return ""
    if not getattr(model, "publish_requires", ""):
        return ""
    return _(
        "readers see this %(item)s: it must keep a citation (add another first, or unpublish it)"
    ) % {"item": model._meta.verbose_name}


def transition_error(
    *, model, user, old: str, new: str, is_unsourced: bool = False, override: str = ""
) -> str:
    """Why ``user`` may not move an item of ``model`` from ``old`` to ``new`` ("" if allowed).
    ``is_unsourced``: the item cites no source (``unsourced``); ``override``: a chief editor's
    reason to publish it all the same."""
    return (
        move_error(old, new)
        or right_error(model=model, user=user, old=old, new=new)
        or source_error(
            model=model,
            user=user,
            old=old,
            new=new,
            is_unsourced=is_unsourced,
            override=override,
        )
    )


@transaction.atomic
def item_transition(
    *, item, to: str, by, publish_at=None, reason: str = "", without_source: bool = False
) -> None:
    """Move one event or source to state ``to``; a future ``publish_at`` schedules it (and
    is refused, as publishing now is, for an item that cites no source). ``without_source``:
    a chief editor publishes it all the same, and ``reason`` says why."""
    if error := move_error(item.status, to):
        raise ValidationError(error)
    if error := right_error(model=type(item), user=by, old=item.status, new=to):
        raise PermissionDenied(error)
    is_unsourced = to == Status.PUBLISHED and bool(unsourced(type(item), [item.pk]))
    override = reason if without_source else ""
    if error := source_error(
        model=type(item),
        user=by,
        old=item.status,
        new=to,
        is_unsourced=is_unsourced,
        override=override,
    ):
        raise ValidationError(error)
    if is_unsourced and override:
        reason = _("published without a source: %(reason)s") % {"reason": reason}
    old, item.status = item.status, to
    item.publish_at = publish_at if to == Status.PUBLISHED else None
    type(item).objects.filter(pk=item.pk).update(
        status=to, publish_at=item.publish_at, updated_at=timezone.now()
    )
    WorkflowLog.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        from_status=old,
        to_status=to,
        publish_at=item.publish_at,
        by=by,
        reason=reason[:300],
    )
    with reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(reason or _("now %(state)s") % {"state": _label(to)})
        reversion.add_to_revision(item)
    content_changed_send(model=type(item), pks=[item.pk])


def publish_time_log(*, item, by) -> None:
    """A published item's publish time changed (a scheduled one moved, or made public now)."""
    if item.status != Status.PUBLISHED:
        return
    WorkflowLog.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        from_status=item.status,
        to_status=item.status,
        publish_at=item.publish_at,
        by=by,
        reason=str(_("publish time changed")),
    )


def log_rows(*, model, moves: list[tuple[int, str, str]], by, reason: str) -> None:
    """Log the (pk, old, new) status moves that an import made, in one insert."""
    content_type = ContentType.objects.get_for_model(model)
    insert_rows(
        WorkflowLog,
        [
            {
                "content_type_id": content_type.pk,
                "object_id": pk,
                "from_status": old,
                "to_status": new,
                "by_id": by.pk if by else None,
                "reason": reason,
            }
            for pk, old, new in moves
            if old != new
        ],
    )
