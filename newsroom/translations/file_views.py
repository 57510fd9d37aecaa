"""The worklist's translation files in the admin: download the work as XLIFF, upload it back
(a preview of every unit first, then the import on confirmation)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.imports.specs import specs
from newsroom.imports.uploads import UploadStorage
from newsroom.translations.exchange import STATES, translations_export, translations_import
from newsroom.translations.filters import LANGUAGE_NAMES
from newsroom.translations.status import confirm_error, confirmable_languages

NOTHING_TO_TRANSLATE = _("Nothing to translate there: no field is missing or stale.")
STATE_LABELS = {"missing": _("missing"), "stale": _("stale"), "all": _("missing and stale")}


class DownloadForm(forms.Form):
    language = forms.ChoiceField(label=_("into"))
    state = forms.ChoiceField(
        label=_("fields"), choices=[(s, STATE_LABELS[s]) for s in STATES], initial="all"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        codes = confirmable_languages(user)
        self.fields["language"].choices = [(code, LANGUAGE_NAMES[code]) for code in codes]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Translated XLIFF file"),
        help_text=_("The .xlf file downloaded here, filled in your CAT tool."),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("This file is too large to import."))
        return file


def xliff_response(data: bytes, *, language: str, what: str) -> HttpResponse:
    name = f"translations-{what}-{language}-{timezone.localdate():%Y%m%d}.xlf"
    response = HttpResponse(data, content_type="application/xliff+xml")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def xliff_download(request):
    """The XLIFF file of the whole worklist for one language."""
    form = DownloadForm(request.GET, user=request.user)
    if not form.is_valid():
        raise PermissionDenied(_("Choose a language you may translate into."))
    language, state = form.cleaned_data["language"], form.cleaned_data["state"]
    data, count = translations_export(language=language, state=state)
    if not count:
        messages.info(request, NOTHING_TO_TRANSLATE)
        return HttpResponseRedirect(reverse("admin:translation-worklist"))
    return xliff_response(data, language=language, what=state)


def xliff_upload(request, admin_site):
    """Upload a translated file: a preview of what it would do, then, confirmed, the import."""
    context = {**admin_site.each_context(request), "title": _("Import a translation file")}
    if request.method == "POST" and "upload" in request.POST:
        return _apply(request, UploadStorage(name=request.POST["upload"]))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        storage = UploadStorage()
        storage.save_chunks(form.cleaned_data["file"].chunks())
        result = translations_import(
            data=storage.read().read_bytes(), user=request.user, dry_run=True
        )
        if result.errors or not (result.of("applied") or result.of("unchanged")):
            storage.remove()
        else:
            context["upload"] = storage.name
        context |= {"result": result, "file_name": form.cleaned_data["file"].name}
    context["form"] = form
    return TemplateResponse(request, "newsroom/translation_file_upload.html", context)


def _apply(request, storage: UploadStorage):
    path = storage.read()
    if not path.exists():
        messages.error(request, _("That upload is gone (it is kept a day): upload it again."))
        return HttpResponseRedirect(reverse("admin:translation-file-upload"))
    file_name = request.POST.get("file_name", "")[:255]
    result = translations_import(data=path.read_bytes(), file_name=file_name, user=request.user)
    storage.remove()
    for error in result.errors:
        messages.error(request, error)
    if not result.errors:
        level = messages.WARNING if result.of("refused") else messages.SUCCESS
        messages.add_message(request, level, result.summary())
    for outcome in result.of("refused"):
        messages.warning(request, f"{outcome.id}: {outcome.reason}")
    return HttpResponseRedirect(reverse("admin:translation-worklist"))


def export_selection_action(language: str):
    """An admin action: the XLIFF file of the selected items' fields to translate."""

    def action(modeladmin, request, queryset):
        if confirm_error(language=language, by=request.user):
            raise PermissionDenied
        kind = next(n for n, spec in specs().items() if spec.model is queryset.model)
        data, count = translations_export(language=language, selection={kind: queryset})
        if not count:
            modeladmin.message_user(request, NOTHING_TO_TRANSLATE)
            return None
        return xliff_response(data, language=language, what=kind)

    action.__name__ = f"export_translation_file_{language}"
    action.short_description = _("Download the XLIFF file to translate into %(language)s") % {
        "language": LANGUAGE_NAMES[language]
    }
    return action
