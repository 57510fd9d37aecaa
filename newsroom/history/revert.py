"""Revert: put an item back as one of its versions had it, as a new version, through the
same write path as every other save (``newsroom.editing``)."""

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reversion.models import Version

from newsroom.accounts import translator_language
from newsroom.editing import item_delete, item_save
from newsroom.history.versions import (
    NOT_REVERTED,
    followed,
    related_targets,
    version_fields,
    version_values,
)
from newsroom.signals import content_batch


def _rows_revert(item, key, related, rows: dict, *, by) -> None:
    """Make the item's rows (citations) those of the version: edited back, re-created, or
    removed if they came since."""
    for field, targets in related_targets(related, rows.values(), skip=key).items():
        gone = set(targets) - set(field.related_model._base_manager.in_bulk(targets))
        if gone:  # cited since deleted: say which, undo nothing
            raise ValidationError(
                _("This version cites %(model)s #%(id)s, which has been deleted since.")
                % {"model": field.related_model._meta.verbose_name, "id": min(gone)}
            )
    for row in related.objects.filter(**{key.attname: item.pk}).exclude(pk__in=list(rows)):
        item_delete(item=row, by=by)
    existing = related.objects.in_bulk(list(rows))
    for pk, values in rows.items():
        row = existing.get(pk) or related(pk=pk)
        for field in version_fields(related):
            if field.attname in values and not field.many_to_many:
                setattr(row, field.attname, values[field.attname])
        item_save(item=row, by=by)


def may_revert(user, model) -> bool:
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.change_{opts.model_name}") and not (
        translator_language(user)
    )


@transaction.atomic
def item_revert(*, item, version: Version, by, reason: str = "") -> None:
    """Put ``item``'s text and relations back as ``version`` had them: a new version."""
    model = type(item)
    if not may_revert(by, model):
        raise PermissionDenied(_("Only editors and chief editors may revert to a version."))
    values, relations = version_values(version), {}
    for field in version_fields(model):
        if field.name in NOT_REVERTED:
            continue
        if field.many_to_many:
            relations[field.name] = values.get(field.name, [])
        elif field.attname in values:
            setattr(item, field.attname, values[field.attname])
    comment = _("Reverted to the version of %(date)s") % {
        "date": date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")
    }
    with (
        content_batch(),
        reversion.create_revision(atomic=False),
    ):  # the item and its rows: one version
        item_save(
            item=item,
            by=by,
            relations=relations,
            comment=f"{comment}: {reason}" if reason else comment,
        )
        for name, key, related in followed(model):
            _rows_revert(item, key, related, values.get(name, {}), by=by)
