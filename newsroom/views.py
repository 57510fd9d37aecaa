from django.db.models import Count, Prefetch
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from newsroom.models import Note, Person, Quote, Source, is_public, published_q
from timeline.models import Event


class PreviewMixin:
    """Staff who may change an item see it before it is public, as readers will, marked."""

    def base_queryset(self):
        opts = self.model._meta
        if self.request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            return self.model.objects.all()
        return self.model.objects.published()

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=not is_public(self.object), **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex"
        return response


def _published_events():
    return Event.objects.published().for_timeline()


class SourceListView(ListView):
    template_name = "newsroom/source_list.html"
    context_object_name = "sources"

    def get_queryset(self):
        return (
            Source.objects.published()
            .select_related("translation_of")
            .annotate(event_count=Count("events", filter=published_q("events__"), distinct=True))
        )


class SourceDetailView(PreviewMixin, DetailView):
    model = Source
    template_name = "newsroom/source_detail.html"
    context_object_name = "source"

    def get_queryset(self):
        return (
            self.base_queryset()
            .select_related("translation_of")
            .prefetch_related(
                Prefetch("events", _published_events().distinct()),
                Prefetch("notes", Note.objects.filter(is_public=True)),
                Prefetch("quotes", Quote.objects.select_related("person")),
                Prefetch("translations", Source.objects.published()),
            )
        )


class PersonListView(ListView):
    template_name = "newsroom/person_list.html"
    context_object_name = "people"

    def get_queryset(self):
        return Person.objects.annotate(
            event_count=Count("events", filter=published_q("events__"), distinct=True)
        )


class PersonDetailView(DetailView):
    template_name = "newsroom/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.prefetch_related(
            Prefetch("events", _published_events()),
            Prefetch(
                "quotes", Quote.objects.select_related("source").filter(published_q("source__"))
            ),
            "affiliations",
            "members",
        )


def favicon(request):
    """Browsers ask for /favicon.ico on every page, the admin's too."""
    return redirect(static("newsroom/favicon.svg"), permanent=True)


def translation_worklist(request):
    """The translators' worklist: per language and kind of item, what is missing or stale."""
    from django.contrib import admin
    from django.shortcuts import render
    from django.urls import reverse

    from newsroom.translation_status import coverage, target_languages

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
