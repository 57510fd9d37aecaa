from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.generic import DetailView, ListView, TemplateView

from newsroom.models import Person, Source, is_public
from newsroom.translations.status import original_updated
from timeline import labels, search, selectors, timelinejs
from timeline.forms import SearchForm
from timeline.models import Era, Event, Topic


class PreviewMixin:
    """Staff who may change an item see it before it is public, as readers will, marked."""

    def base_queryset(self):
        return selectors.visible(self.model, user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=not is_public(self.object), **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex"
        return response


class SourceListView(ListView):
    template_name = "timeline/source_list.html"
    context_object_name = "sources"

    def get_queryset(self):
        sources = selectors.public_sources().select_related("translation_of")
        return selectors.with_event_count(sources)


class SourceDetailView(PreviewMixin, DetailView):
    model = Source
    template_name = "timeline/source_detail.html"
    context_object_name = "source"

    def get_queryset(self):
        return selectors.source_detail_queryset(sources=self.base_queryset())


class PersonListView(ListView):
    template_name = "timeline/person_list.html"
    context_object_name = "people"

    def get_queryset(self):
        return selectors.with_event_count(Person.objects.all())


class PersonDetailView(DetailView):
    template_name = "timeline/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return selectors.person_detail_queryset()


class EventListView(ListView):
    """The timeline: published events in date order, grouped by era."""

    template_name = "timeline/event_list.html"
    context_object_name = "events"

    def get_queryset(self):
        return selectors.timeline_events(
            era=self.request.GET.get("era", ""), topic=self.request.GET.get("topic", "")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            eras=Era.objects.all(),
            topics=Topic.objects.all(),
            selected_era=self.request.GET.get("era", ""),
            selected_topic=self.request.GET.get("topic", ""),
            **kwargs,
        )


class EventDetailView(PreviewMixin, DetailView):
    model = Event
    template_name = "timeline/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return selectors.event_detail_queryset(events=self.base_queryset())

    def get_context_data(self, **kwargs):
        previous, following = selectors.adjacent_events(event=self.object)
        return super().get_context_data(
            previous=previous,
            next=following,
            original_updated=original_updated(self.object),
            **kwargs,
        )


class AboutView(TemplateView):
    template_name = "timeline/about.html"

    def get_context_data(self, **kwargs):
        sources = selectors.public_sources().select_related("translation_of")
        dates = labels.examples(get_language())
        return super().get_context_data(sources=sources, date_examples=dates, **kwargs)


def timeline_json(request):
    """The published timeline for Knight Lab's TimelineJS; any site may fetch it."""
    data = timelinejs.timeline_json(build_url=request.build_absolute_uri)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


# Other sites may frame the embeddable timeline, and only it (every other page: DENY).
EMBED_CSP = {**settings.SECURE_CSP, "frame-ancestors": ["*"]}


@method_decorator([xframe_options_exempt, csp_override(EMBED_CSP)], name="dispatch")
class EmbedView(ListView):
    """A compact timeline, with no site chrome, for other sites' iframes."""

    template_name = "timeline/embed.html"
    context_object_name = "events"

    def get_queryset(self):
        return selectors.timeline_events()


class SearchView(ListView):
    """One search over published events, sources and people, with the timeline's filters."""

    template_name = "timeline/search.html"
    context_object_name = "results"
    paginate_by = 20

    def get_queryset(self):
        self.form = SearchForm(self.request.GET)
        self.query = self.form.query()
        entries, self.pattern = search.search_entries(query=self.query, language=get_language())
        return entries

    def paginate_queryset(self, queryset, page_size):
        # A page number out of range or mistyped shows the nearest page, not an error.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            form=self.form,
            query=self.query,
            eras=Era.objects.all(),
            topics=Topic.objects.all(),
            people=Person.objects.filter(events__in=selectors.public_events()).distinct(),
            **kwargs,
        )
        search.attach_items(context["results"], self.pattern)
        return context
