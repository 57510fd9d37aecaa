"""Translation status: for every translatable item and language, missing, stale or current.

The original language is Thai (``TRANSLATION_SOURCE_LANGUAGE``). When a translator confirms
a translation, the fingerprint of the original's text is kept; when the original's text
of a public item changes (in the admin, by an import or a revert), its translations become
stale, field by field: the state keeps, for each field whose original changed, the original
text as it was before (what the translation was made from), so a translator sees which
fields to redo and what changed in them.
"""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.accounts import translator_language
from newsroom.batches import key_chunks
from newsroom.i18n import (
    LANGUAGE_CODES,
    is_missing_translation,
    missing_translation_q,
    translated_fields,
)
from newsroom.models import Status, TranslationState
from newsroom.signals import content_changed_send

MISSING, STALE, CURRENT = "missing", "stale", "current"


def source_language() -> str:
    return settings.TRANSLATION_SOURCE_LANGUAGE


def target_languages() -> list[str]:
    return [code for code in LANGUAGE_CODES if code != source_language()]


def originals(obj) -> dict[str, str]:
    """The original-language text of each translated field of ``obj``."""
    language = source_language()
    return {name: getattr(obj, f"{name}_{language}") or "" for name in translated_fields(type(obj))}


def source_hash(obj) -> str:
    return hashlib.sha256("\x1f".join(originals(obj).values()).encode()).hexdigest()


def translations_follow_edit(*, obj, before: dict[str, str]) -> None:
    """``obj`` was saved; ``before`` held its ``originals`` until then."""
    now = originals(obj)
    changed = {name: text for name, text in before.items() if now[name] != text}
    if changed:
        translations_mark_stale(model=type(obj), before={obj.pk: changed})


def stale_fields(obj, language: str, *, record=...) -> dict[str, str]:
    """The fields whose original changed since the translation into ``language`` was made,
    each with the original's text as it was then (empty if the translation is not stale).
    A state marked stale before fields were recorded lists every field, with no text.
    ``record``: the item's state for ``language`` if the caller has read it already."""
    if record is ...:
        record = translation_record(obj, language)
    if _state(obj, language, record) != STALE:
        return {}
    changed = record.originals or dict.fromkeys(translated_fields(type(obj)))
    return {name: changed[name] for name in translated_fields(type(obj)) if name in changed}


def reference_language(language: str) -> str:
    """What a translation into ``language`` is made from: the original, or (a translation
    into the original's language, from text first written in another) the other language."""
    if language != source_language():
        return source_language()
    return next(code for code in LANGUAGE_CODES if code != language)


def field_states(obj, language: str) -> dict[str, tuple[str, str | None]]:
    """Per translated field of ``obj``: its translation's state into ``language`` (missing,
    stale or current) and, if stale, the original's text the translation was made from
    (None if it was not recorded)."""
    record, reference = translation_record(obj, language), reference_language(language)
    translated = set(translated_fields(type(obj)))
    # Field by field: a field may be stale while another is missing.
    stale = (record.originals or dict.fromkeys(translated)) if _is_stale(obj, record) else {}
    states = {}
    for name in [f.name for f in obj._meta.fields if f.name in translated]:  # the form's order
        original = getattr(obj, f"{name}_{reference}") or ""
        if original and not getattr(obj, f"{name}_{language}"):
            states[name] = (MISSING, None)
        elif name in stale:
            states[name] = (STALE, stale[name])
        else:
            states[name] = (CURRENT, None)
    return states


def translation_record(obj, language: str) -> TranslationState | None:
    return TranslationState.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, language=language
    ).first()


def translation_state(obj, language: str) -> str:
    return _state(obj, language, translation_record(obj, language))


def _state(obj, language: str, record: TranslationState | None) -> str:
    if is_missing_translation(obj, language):
        return MISSING
    return STALE if _is_stale(obj, record) else CURRENT


def _is_stale(obj, record: TranslationState | None) -> bool:
    return bool(
        record and (record.stale or (record.source_hash and record.source_hash != source_hash(obj)))
    )


def confirmable_languages(user) -> list[str]:
    """The translations ``user`` may confirm: a translator's own language (if it is a
    translation), every translation for an editor."""
    own = translator_language(user) if user is not None else None
    return [code for code in target_languages() if own is None or code == own]


def writable_languages(user) -> list[str]:
    """The languages ``user`` translates into: a translator's own, every translation for
    an editor."""
    own = translator_language(user)
    return [own] if own else target_languages()


def confirm_error(*, language: str, by) -> str:
    """Why ``by`` may not confirm the translation into ``language`` ("" if they may)."""
    if language not in target_languages():
        return _("%(language)s is the original, not a translation") % {"language": language}
    own = translator_language(by) if by is not None else None
    if own and own != language:
        return _("a translator confirms the translation into their own language only")
    return ""


def translation_confirm(*, obj, language: str, by, bulk: bool = False) -> None:
    """The translation into ``language`` matches the original as it is now. A translator
    confirms their own language only. ``bulk``: one of many (an import's)."""
    if error := confirm_error(language=language, by=by):
        raise PermissionDenied(error)
    TranslationState.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        language=language,
        defaults={
            "source_hash": source_hash(obj),
            "stale": False,
            "originals": {},
            "confirmed_at": timezone.now(),
            "confirmed_by": by,
        },
    )
    # The readers' "updated" notice: its page, not its place in lists.
    content_changed_send(model=type(obj), pks=[obj.pk], listed=False, bulk=bulk)


def translation_fields_confirm(
    *, obj, language: str, fields: set[str], by, bulk: bool = False
) -> None:
    """The translation of these ``fields`` of ``obj`` matches their original as it is now:
    they are no longer stale; the item is up to date once no other field is."""
    record = translation_record(obj, language)
    stale = stale_fields(obj, language, record=record)
    remaining = {name: text for name, text in stale.items() if name not in fields}
    if not remaining:
        translation_confirm(obj=obj, language=language, by=by, bulk=bulk)
    elif confirm_error(language=language, by=by):
        raise PermissionDenied(confirm_error(language=language, by=by))
    else:
        TranslationState.objects.filter(pk=record.pk).update(stale=True, originals=remaining)


STATE_FIELDS = ("language", "source_hash", "stale", "originals", "confirmed_at", "confirmed_by_id")


def translation_states_snapshot(*, model, pks, language: str) -> list[dict]:
    """The translation states of these items as they are (``translation_states_restore``
    puts them back): one per item, ``None`` where it has none yet."""
    states = TranslationState.objects.filter(
        content_type=ContentType.objects.get_for_model(model), language=language
    )
    known = {
        s["object_id"]: s
        for part in key_chunks(pks)
        for s in states.filter(object_id__in=part).values("object_id", *STATE_FIELDS)
    }
    return [
        {"object_id": pk, "language": language, "state": _jsonable(known.get(pk))} for pk in pks
    ]


def _jsonable(state: dict | None) -> dict | None:
    if state and state["confirmed_at"]:
        state = {**state, "confirmed_at": state["confirmed_at"].isoformat()}
    return state


def translation_states_restore(*, model, snapshot: list[dict]) -> None:
    """Put back the translation states of a ``translation_states_snapshot``."""
    content_type = ContentType.objects.get_for_model(model)
    for entry in snapshot:
        key = {"content_type": content_type, "object_id": entry["object_id"]}
        states = TranslationState.objects.filter(**key, language=entry["language"])
        if entry["state"] is None:
            states.delete()
        else:
            values = {k: v for k, v in entry["state"].items() if k not in ("object_id", "language")}
            TranslationState.objects.update_or_create(
                **key, language=entry["language"], defaults=values
            )


def translations_mark_stale(*, model, before: dict[int, dict[str, str]]) -> None:
    """The original text of these items changed: their translations are stale (if public).

    ``before`` maps each item to the fields whose original changed, with the text it had;
    a field already stale keeps the text the translation was made from.
    """
    pks = list(before)
    if any(f.name == "status" for f in model._meta.fields):
        pks = list(
            model.objects.filter(pk__in=pks, status=Status.PUBLISHED).values_list("pk", flat=True)
        )
    if not pks:
        return
    content_type = ContentType.objects.get_for_model(model)
    for language in target_languages():
        states = TranslationState.objects.filter(content_type=content_type, language=language)
        known = {state.object_id: state for state in states.filter(object_id__in=pks)}
        for pk, state in known.items():
            state.stale, state.originals = True, {**before[pk], **(state.originals or {})}
        TranslationState.objects.bulk_update(known.values(), ["stale", "originals"], batch_size=100)
        TranslationState.objects.bulk_create(
            [
                TranslationState(
                    content_type=content_type,
                    object_id=pk,
                    language=language,
                    stale=True,
                    originals=before[pk],
                )
                for pk in pks
                if pk not in known
            ],
            batch_size=100,
        )


def stale_q(model, language: str) -> Q:
    """Rows whose translation into ``language`` is marked stale."""
    ids = TranslationState.objects.filter(
        content_type=ContentType.objects.get_for_model(model), language=language, stale=True
    ).values("object_id")
    return Q(pk__in=ids)


def to_translate(model, language: str):
    """The published items whose translation into ``language`` is missing or stale."""
    items = model.objects.all()
    if hasattr(items, "published"):
        items = items.published()
    return items.filter(missing_translation_q(model, language) | stale_q(model, language))


def original_updated(obj) -> bool:
    """Whether readers of this page's language should be told the original changed since."""
    from django.utils.translation import get_language

    language = (get_language() or "")[:2]
    return (
        settings.SHOW_STALE_TRANSLATION_NOTICE
        and language in target_languages()
        and translation_state(obj, language) == STALE
    )


def coverage(language: str) -> list[dict]:
    """Per kind of item: how many are public, missing a translation, or stale."""
    from newsroom.imports.specs import specs

    rows = []
    for name, spec in specs().items():
        items = spec.model.objects.all()
        if hasattr(items, "published"):
            items = items.published()
        missing_q = missing_translation_q(spec.model, language)
        rows.append(
            {
                "name": name,
                "model": spec.model,
                "total": items.count(),
                "missing": items.filter(missing_q).count(),
                "stale": items.filter(stale_q(spec.model, language)).exclude(missing_q).count(),
            }
        )
    return rows
