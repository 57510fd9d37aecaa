"""The newsroom's admin site: Django's, with its titles and the translators' worklist.

Outside the ``newsroom.admin`` package on purpose: that package registers models on this
site, and importing it while the site is being built would build a second one.
"""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from newsroom.logins import LoginForm
from newsroom.translations.status import coverage, target_languages, to_translate
from newsroom.translations.views import translate_url

WORKLIST_ITEMS = 50  # per kind and language: the first ones to open, the rest in the lists


class NewsroomAdminSite(admin.AdminSite):
    site_header = _("Russia–North Korea timeline: newsroom")
    site_title = _("Newsroom")
    index_title = _("Editorial desk")
    index_template = "newsroom/admin_index.html"  # adds the translators' worklist
    login_form = LoginForm  # wrong passwords are limited (newsroom.logins)

    def get_urls(self):
        from newsroom.translations.file_views import xliff_download, xliff_upload

        worklist = self.admin_view(self.translation_worklist)
        upload = self.admin_view(lambda request: xliff_upload(request, self))
        return [
            path("worklist/", worklist, name="translation-worklist"),
            path("worklist/xliff/", self.admin_view(xliff_download), name="translation-file"),
            path("worklist/xliff/upload/", upload, name="translation-file-upload"),
            *super().get_urls(),
        ]

    def translation_worklist(self, request):
        """Per language and kind of item: how many are missing or stale, linked to the lists."""
        from newsroom.translations.file_views import DownloadForm  # it needs the models loaded

        languages = []
        for language in target_languages():
            rows = coverage(language)
            for row in rows:
                opts = row["model"]._meta
                row["url"] = reverse(
                    f"{self.name}:{opts.app_label}_{opts.model_name}_changelist",
                    current_app=self.name,
                )
                row["verbose_name"] = opts.verbose_name_plural
                row["items"] = [
                    (item, translate_url(row["model"], item.pk, language))
                    for item in to_translate(row["model"], language)[:WORKLIST_ITEMS]
                ]
            languages.append({"code": language, "rows": rows})
        context = {
            **self.each_context(request),
            "download_form": DownloadForm(user=request.user),
            "languages": languages,
            "title": _("Translation worklist"),
        }
        return TemplateResponse(request, "newsroom/translation_worklist.html", context)
