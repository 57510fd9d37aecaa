"""The project's own small views: the favicon and the translators' worklist."""

from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _


def favicon(request):
    """Browsers ask for /favicon.ico on every page, the admin's too."""
    return redirect(static("newsroom/favicon.svg"), permanent=True)


def translation_worklist(request):
    """The translators' worklist: per language and kind of item, what is missing or stale."""
    from django.contrib import admin
    from django.shortcuts import render
    from django.urls import reverse

    from newsroom.translations.status import coverage, target_languages

    languages = []
    for language in target_languages():
        rows = coverage(language)
        for row in rows:
            opts = row["model"]._meta
            row["url"] = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            row["verbose_name"] = opts.verbose_name_plural
        languages.append({"code": language, "rows": rows})
    context = {
        **admin.site.each_context(request),
        "languages": languages,
        "title": _("Translation worklist"),
    }
    return render(request, "newsroom/translation_worklist.html", context)
