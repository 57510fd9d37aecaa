"""History of events and sources: versions (django-reversion), their diff, and revert.

Why django-reversion: it serializes an object when it is saved, so it sees the
``_th``/``_en`` columns that modeltranslation adds after the model class is built
(django-simple-history builds its shadow table at class creation and would miss
them), and its versions are plain rows we can write in bulk for imports.
"""

import json

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.encoding import is_protected_type
from reversion.models import Revision, Version
from reversion.revisions import _get_options

from newsroom.i18n import translated_fields
from newsroom.imports.sql import insert_rows

# Kept out of versions: values derived from other fields on save.
NOT_VERSIONED = {
    "date_start",
    "date_end",
    "sort_start",
    "sort_end",
    "start_precision",
    "end_precision",
}
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


def followed(model) -> list[tuple[str, models.Field, type[models.Model]]]:
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
    for _name, key, related in followed(model):  # as reversion's `follow` does on a save
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


def version_fields(model) -> list[models.Field]:
    names = _get_options(model).fields
    return [model._meta.get_field(name) for name in names]


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
    for name, key, related in followed(type(obj)):
        rows = related.objects.filter(**{key.attname: obj.pk})
        values[name] = {row.pk: _values(row) for row in rows}
    return values


def version_values(version: Version) -> dict:
    """A version's field values, and the rows that followed the item into its revision
    (``{"citations": {pk: values}}``): the item's citations as they were."""
    values = dict(version.field_dict)
    model, pk = version._model, int(version.object_id)
    for name, key, related in followed(model):
        candidates = Version.objects.filter(
            revision_id=version.revision_id,
            content_type=ContentType.objects.get_for_model(related),
            serialized_data__contains=f'"{key.name}": {pk}',  # narrows; checked below
        )
        rows = (row.field_dict for row in candidates)
        values[name] = {row["id"]: row for row in rows if row[key.attname] == pk}
    return values


def related_targets(model, rows, *, skip=None) -> dict[models.Field, list]:
    """The rows' foreign keys, per field (``skip`` aside): what they point at."""
    return {
        field: sorted({row[field.attname] for row in rows if row.get(field.attname)})
        for field in model._meta.fields
        if field.many_to_one and field is not skip
    }
