"""The translation view of an item: the original (Thai) and the translation side by side,
field by field, each with its state; the translation is saved through the item's own write
service (its admin's ``save_item``) and confirmed through the translation-status service,
in one step. A translator works here only; an editor reaches it from the item's form."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from reversion import create_revision, set_comment

from newsroom.accounts import translator_language
from newsroom.history.diff import words_diff
from newsroom.i18n import translated_fields
from newsroom.signals import content_batch
from newsroom.translations.filters import LANGUAGE_NAMES
from newsroom.translations.status import (
    confirmable_languages,
    field_states,
    reference_language,
    source_language,
    translation_confirm,
    writable_languages,
)

CONFIRM = "_confirm"  # the name of the button that saves and confirms


def translate_url(model, pk, language: str) -> str:
    """The translation view of item ``pk`` of ``model`` into ``language``."""
    opts = model._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_translate", args=[quote(pk), language]
    )


def translate_view(modeladmin, request, object_id, language):
    obj = modeladmin.get_object(request, unquote(object_id))
    if obj is None:
        raise Http404
    if not modeladmin.has_change_permission(request, obj):
        raise PermissionDenied
    if language not in writable_languages(request.user):
        raise PermissionDenied(_("You do not translate into this language."))
    form = translation_form(modeladmin, request, language)(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        confirm = CONFIRM in request.POST and language in confirmable_languages(request.user)
        translation_save(modeladmin, request, obj=form.instance, language=language, confirm=confirm)
        done = (
            _("The %(language)s translation is saved and confirmed as up to date.")
            if confirm
            else _("The %(language)s translation is saved; it is not confirmed yet.")
        )
        modeladmin.message_user(
            request, done % {"language": LANGUAGE_NAMES[language]}, messages.SUCCESS
        )
        return redirect(request.path)
    if form.errors:
        modeladmin.message_user(request, _("Please correct the errors below."), messages.ERROR)
    return TemplateResponse(
        request, "newsroom/admin/translate.html", _context(modeladmin, request, obj, form, language)
    )


def translation_form(modeladmin, request, language: str) -> type[forms.ModelForm]:
    """A form of the item's fields in ``language``, as the admin builds each field (text
    cleaned as stored, the model's own validation)."""
    model = modeladmin.model
    return forms.modelform_factory(
        model,
        fields=[f"{name}_{language}" for name in translated_fields(model)],
        formfield_callback=lambda field, **kwargs: modeladmin.formfield_for_dbfield(
            field, request, **kwargs
        ),
    )


@transaction.atomic
def translation_save(modeladmin, request, *, obj, language: str, confirm: bool) -> None:
    """Store the translation through the item's write service; confirm it if asked."""
    with content_batch(), create_revision(atomic=False):
        set_comment(_("Translation into %(language)s") % {"language": LANGUAGE_NAMES[language]})
        modeladmin.save_item(request, obj, {})
        if confirm:
            translation_confirm(obj=obj, language=language, by=request.user)


def _rows(obj, form, language: str) -> list[dict]:
    model, original = type(obj), reference_language(language)
    rows = []
    for name, (state, before) in field_states(obj, language).items():
        text = getattr(obj, f"{name}_{original}") or ""
        rows.append(
            {
                "label": model._meta.get_field(name).verbose_name,
                "original": text,
                "field": form[f"{name}_{language}"],
                "state": state,
                "diff": words_diff(True, before, text) if before is not None else None,
            }
        )
    return rows


def _related(modeladmin, obj, language: str) -> list[dict]:
    """The item's own rows with text to translate (an event's citations and notes), each
    linked to its translation view."""
    registry, related = modeladmin.admin_site._registry, []
    for relation in obj._meta.related_objects:
        model = relation.related_model
        if not (relation.one_to_many and translated_fields(model) and model in registry):
            continue
        rows = getattr(obj, relation.get_accessor_name()).all()
        related += [
            {
                "row": row,
                "kind": model._meta.verbose_name,
                "url": translate_url(model, row.pk, language),
            }
            for row in rows
        ]
    return related


def _context(modeladmin, request, obj, form, language: str) -> dict:
    opts = modeladmin.model._meta
    reference = reference_language(language)
    names = {"language": LANGUAGE_NAMES[language], "original": LANGUAGE_NAMES[reference]}
    return {
        **modeladmin.admin_site.each_context(request),
        "title": _("Translate into %(language)s: %(item)s") % {**names, "item": obj},
        "opts": opts,
        "app_label": opts.app_label,
        "original": obj,
        "form": form,
        "rows": _rows(obj, form, language),
        "related": _related(modeladmin, obj, language),
        "language": language,
        "language_name": names["language"],
        "reference": reference,
        "reference_name": names["original"],
        "is_original": reference == source_language(),
        "may_confirm": language in confirmable_languages(request.user),
        "may_edit_all": translator_language(request.user) is None,
        "confirm_name": CONFIRM,
    }
