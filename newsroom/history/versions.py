"""History of events and sources: versions (django-reversion), their diff, and revert.

Why django-reversion: it serializes an object when it is saved, so it sees the
``_th``/``_en`` columns that modeltranslation adds after the model class is built
(django-simple-history builds its shadow table at class creation and would miss
them), and its versions are plain rows we can write in bulk for imports.
"""

import difflib
import json
import re
from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.encoding import is_protected_type
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from reversion.models import Revision, Version
from reversion.revisions import _get_options

from newsroom.accounts import translator_language
from newsroom.i18n import translated_fields
from newsroom.imports.sql import insert_rows
from newsroom.translations.status import originals, translations_follow_edit

# Kept out of versions: values derived from other fields on save.
NOT_VERSIONED = {"date_start", "date_end", "start_precision", "end_precision"}
# Versioned (recovering a deleted item writes its version back as it is, and the columns
# are required) but neither shown in a diff nor reverted.
BOOKKEEPING = {"created_at", "updated_at"}
# Shown in the history but never put back by a revert: the workflow moves items
# (with its rights and log), and a slug is in readers' links.
NOT_REVERTED = {"status", "publish_at", "slug", *BOOKKEEPING}


def history_register(model, *, follow: tuple[str, ...] = ()) -> None:
    """Version ``model``; call it after its translated fields are registered.

    ``follow`` names the rows that belong to an item (an event's citations): every
    version of the item keeps them as they were, and a revert puts them back.
    """
    base = set(translated_fields(model))  # `title` mirrors `title_th`/`title_en`
    # Relations through a model of their own (citations) are versioned as those rows.
    through = {
        f.name for f in model._meta.many_to_many if not f.remote_field.through._meta.auto_created
    }
    reversion.register(model, exclude=tuple(NOT_VERSIONED | base | through), follow=follow)


def _followed(model) -> list[tuple[str, models.Field, type[models.Model]]]:
    """Each followed relation: its name, the related model's key to the item, that model."""
    relations = (model._meta.get_field(name) for name in _get_options(model).follow)
    return [(r.name, r.field, r.related_model) for r in relations]


def versions_of(obj) -> models.QuerySet:
    """The versions of ``obj``, newest first, with their revision and author."""
    return (
        Version.objects.get_for_object(obj)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


# Bulk versions (imports, undo) --------------------------------------------------


def revision_start(*, user, comment: str) -> Revision:
    return Revision.objects.create(date_created=timezone.now(), user=user, comment=comment)


def versions_bulk_create(*, model, pks: list, revision: Revision) -> None:
    """One version per row in ``pks``, as they are now: one query per relation.

    The data is what Django's serializer writes for reversion (``model``, ``pk``,
    ``fields``), built here because the serializer makes a query set per object and
    relation, which costs more than the whole import of the row.
    """
    if not pks:
        return
    # Their names (``object_repr``) may show related rows: a citation names its event and
    # source, which would otherwise be two queries per row.
    related = [f.name for f in model._meta.fields if f.many_to_one]
    objects = list(model.objects.filter(pk__in=pks).select_related(*related))
    fields = [f for f in version_fields(model) if f.serialize]
    relations = {f.name: _links(f, pks) for f in fields if f.many_to_many}
    content_type = ContentType.objects.get_for_model(model)
    insert_rows(
        Version,
        [
            {
                "revision_id": revision.pk,
                "object_id": str(obj.pk),
                "content_type_id": content_type.pk,
                "db": "default",
                "format": "json",
                "serialized_data": _serialized(obj, fields, relations),
                "object_repr": str(obj)[:191],
            }
            for obj in objects
        ],
    )
    for _name, key, related in _followed(model):  # as reversion's `follow` does on a save
        rows = related.objects.filter(**{f"{key.attname}__in": pks}).order_by("pk")
        versions_bulk_create(
            model=related, pks=list(rows.values_list("pk", flat=True)), revision=revision
        )


def _links(field, pks: list) -> dict[int, list[int]]:
    through = field.remote_field.through
    own, other = field.m2m_field_name(), field.m2m_reverse_name()
    links = {}
    for owner, target in through.objects.filter(**{f"{own}__in": pks}).values_list(own, other):
        links.setdefault(owner, []).append(target)
    return links


def _serialized(obj, fields, relations) -> str:
    values = {}
    for field in fields:
        if field.many_to_many:
            values[field.name] = sorted(relations[field.name].get(obj.pk, []))
        else:
            value = field.value_from_object(obj)
            values[field.name] = value if is_protected_type(value) else field.value_to_string(obj)
    row = {"model": obj._meta.label_lower, "pk": obj.pk, "fields": values}
    return json.dumps([row], cls=DjangoJSONEncoder, ensure_ascii=False)


_SPLIT = re.compile(r"(\s+)")
# Below this share of words in common, a text is shown as rewritten rather than edited.
REWRITTEN = 0.5


# Diff ------------------------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    diff: str  # HTML: the words removed and added, marked


def version_fields(model) -> list[models.Field]:
    names = _get_options(model).fields
    return [model._meta.get_field(name) for name in names]


def versions_diff(*, model, older: dict, newer: dict) -> list[FieldChange]:
    """What changed between two versions' values, field by field in form order, then the
    rows that belong to the item (citations), one line each."""
    changes = []
    for field in version_fields(model):
        if field.name in BOOKKEEPING:
            continue
        key = field.attname if not field.many_to_many else field.name
        before, after = older.get(key), newer.get(key)
        if _normal(before) == _normal(after):
            continue
        old, new = _display(field, before), _display(field, after)
        thai = field.name.endswith("_th")
        changes.append(FieldChange(str(field.verbose_name), old, new, words_diff(thai, old, new)))
    for name, _key, related in _followed(model):
        old, new = (
            _rows_text(related, older.get(name, {})),
            _rows_text(related, newer.get(name, {})),
        )
        if old != new:  # the passages may be Thai or English: cut into words either way
            label = str(related._meta.verbose_name_plural)
            changes.append(FieldChange(label, old, new, words_diff(True, old, new)))
    return changes


def _values(obj) -> dict:
    values = {}
    for field in version_fields(type(obj)):
        if field.many_to_many:
            values[field.name] = [o.pk for o in getattr(obj, field.name).all()]
        else:
            values[field.attname] = getattr(obj, field.attname)
    return values


def current_values(obj) -> dict:
    """The item's values now, keyed like ``version_values``."""
    values = _values(obj)
    for name, key, related in _followed(type(obj)):
        rows = related.objects.filter(**{key.attname: obj.pk})
        values[name] = {row.pk: _values(row) for row in rows}
    return values


def version_values(version: Version) -> dict:
    """A version's field values, and the rows that followed the item into its revision
    (``{"citations": {pk: values}}``): the item's citations as they were."""
    values = dict(version.field_dict)
    model, pk = version._model, int(version.object_id)
    for name, key, related in _followed(model):
        candidates = Version.objects.filter(
            revision_id=version.revision_id,
            content_type=ContentType.objects.get_for_model(related),
            serialized_data__contains=f'"{key.name}": {pk}',  # narrows; checked below
        )
        rows = (row.field_dict for row in candidates)
        values[name] = {row["id"]: row for row in rows if row[key.attname] == pk}
    return values


# Left out of the lines: the item itself, the order (the lines are in it), bookkeeping.
HIDDEN = {"event", "position", *BOOKKEEPING}


def _targets(model, rows, *, skip=None) -> dict[models.Field, list]:
    """The rows' foreign keys, per field (``skip`` aside): what they point at."""
    return {
        field: sorted({row[field.attname] for row in rows if row.get(field.attname)})
        for field in model._meta.fields
        if field.many_to_one and field is not skip
    }


def _rows_text(model, rows: dict) -> str:
    """One line per row, in the item's order: what an editor recognises (a source and its
    passage), not ids."""
    if not rows:
        return ""
    fields = [f for f in version_fields(model) if not f.primary_key and not f.many_to_many]
    fields = [f for f in fields if f.name not in HIDDEN]
    # One query per relation for the names, not one per row.
    names = {
        field: field.related_model._base_manager.in_bulk(targets)
        for field, targets in _targets(model, rows.values()).items()
        if field in fields
    }

    def shown(field, row) -> str:
        value = row.get(field.attname)
        if field in names and value in names[field]:
            return str(names[field][value])
        return _display(field, value)

    ordered = sorted(rows.values(), key=lambda row: (row.get("position", 0), row["id"]))
    lines = []
    for row in ordered:
        texts = (shown(field, row) for field in fields)
        lines.append(" · ".join(text for text in texts if text and text != "—"))
    return "\n".join(lines)


def _normal(value):
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    return "" if value is None else value


def _display(field, value) -> str:
    if field.many_to_many:
        names = field.related_model.objects.filter(pk__in=value or [])
        return ", ".join(sorted(str(o) for o in names))
    if field.is_relation:
        target = field.related_model.objects.filter(pk=value).first() if value else None
        if target or value is None:
            return str(target) if target else "—"
        return _("#%(id)s (deleted)") % {"id": value}
    if field.choices:
        return str(dict(field.flatchoices).get(value, value or "—"))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "isoformat"):
        return date_format(value, "DATETIME_FORMAT" if hasattr(value, "hour") else "DATE_FORMAT")
    return "" if value is None else str(value)


def _tokens(text: str, thai: bool) -> list[str]:
    if thai:
        from pythainlp.tokenize import word_tokenize

        return word_tokenize(text, engine="newmm", keep_whitespace=True)
    return [t for t in _SPLIT.split(text) if t]


def words_diff(thai: bool, old: str, new: str) -> str:
    """Word-level diff; Thai has no spaces, so Thai text is cut into words first."""
    a, b = _tokens(old, thai), _tokens(new, thai)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < REWRITTEN:  # a rewrite reads better as before, then after
        return format_html("<del>{}</del><br><ins>{}</ins>", old, new)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
    return mark_safe("".join(out))  # every piece is escaped above


# Revert ----------------------------------------------------------------------------


def _rows_revert(item, key, related, rows: dict) -> None:
    """Make the item's rows (citations) those of the version: edited back, re-created, or
    removed if they came since."""
    for field, targets in _targets(related, rows.values(), skip=key).items():
        gone = set(targets) - set(field.related_model._base_manager.in_bulk(targets))
        if gone:  # cited since deleted: say which, undo nothing
            raise ValidationError(
                _("This version cites %(model)s #%(id)s, which has been deleted since.")
                % {"model": field.related_model._meta.verbose_name, "id": min(gone)}
            )
    related.objects.filter(**{key.attname: item.pk}).exclude(pk__in=list(rows)).delete()
    existing = related.objects.in_bulk(list(rows))
    for pk, values in rows.items():
        row = existing.get(pk) or related(pk=pk)
        for field in version_fields(related):
            if field.attname in values and not field.many_to_many:
                setattr(row, field.attname, values[field.attname])
        row.full_clean()
        row.save()


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
    values, before = version_values(version), originals(item)
    relations = {}
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
    with reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(f"{comment}: {reason}" if reason else comment)
        item.full_clean()
        item.save()
        for name, pks in relations.items():
            getattr(item, name).set(pks)
        for name, key, related in _followed(model):
            _rows_revert(item, key, related, values.get(name, {}))
    translations_follow_edit(obj=item, before=before)
