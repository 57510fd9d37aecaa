from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.generic import DetailView, ListView, TemplateView

from newsroom.models import Person, Source, is_public
from newsroom.publishing.dependencies import page_of_one
from newsroom.translations.status import original_updated
from timeline import labels, paging, search, selectors, timelinejs
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


class DirectoryPagesMixin:
    """A list of sources or people a page at a time (``?page=``; a page that is not there: 404)."""

    def get_paginate_by(self, queryset):
        return settings.DIRECTORY_PAGE_SIZE


class SourceListView(DirectoryPagesMixin, ListView):
    template_name = "timeline/source_list.html"
    context_object_name = "sources"

    def get_queryset(self):
        sources = selectors.public_sources().select_related("translation_of")
        # Not their full texts: the list shows none, and they are the bulk of a source.
        sources = sources.defer("full_text", "translation_of__full_text")
        return selectors.with_event_count(sources)


class RelatedEventsMixin:
    """A page's events a page at a time (a source cited by thousands of events, a person in
    thousands): ``events_of(obj)`` says which; ``?page=`` which page, the earliest first."""

    def get_context_data(self, **kwargs):
        page = paging.timeline_page(
            events=self.events_of(self.object),
            page=self.request.GET.get("page"),
            size=settings.TIMELINE_PAGE_SIZE,
            latest_first=False,
        ).page
        return super().get_context_data(
            events=list(page.object_list),
            page_obj=page,
            previous_url=f"?page={page.previous_page_number()}" if page.has_previous() else "",
            next_url=f"?page={page.next_page_number()}" if page.has_next() else "",
            **kwargs,
        )


class SourceDetailView(RelatedEventsMixin, PreviewMixin, DetailView):
    model = Source
    template_name = "timeline/source_detail.html"
    context_object_name = "source"

    def get_queryset(self):
        return selectors.source_detail_queryset(sources=self.base_queryset())

    def events_of(self, source):
        return selectors.source_events(source)


class PersonListView(DirectoryPagesMixin, ListView):
    template_name = "timeline/person_list.html"
    context_object_name = "people"

    def get_queryset(self):
        # People first, then organisations (the page's two sections), by name in each.
        people = Person.objects.order_by("-kind", *Person._meta.ordering)
        return selectors.with_event_count(people)


class PersonDetailView(RelatedEventsMixin, DetailView):
    template_name = "timeline/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return selectors.person_detail_queryset()

    def events_of(self, person):
        return selectors.person_events(person)


@dataclass
class TimelineRequest:
    """A reader's page of the timeline: the filters they chose (era, topic), the page."""

    era: str
    topic: str
    eras: list
    timeline: paging.TimelinePage

    def page_url(self, number: int) -> str:
        filters = urlencode({k: v for k, v in (("era", self.era), ("topic", self.topic)) if v})
        return "?" + "&".join(filter(None, [filters, f"page={number}"]))

    def neighbours(self) -> dict:
        page = self.timeline.page
        return {
            "previous_url": self.page_url(page.previous_page_number())
            if page.has_previous()
            else "",
            "next_url": self.page_url(page.next_page_number()) if page.has_next() else "",
        }


def timeline_request(request, *, size: int, with_jumps: bool = True) -> TimelineRequest:
    era, topic = request.GET.get("era", ""), request.GET.get("topic", "")
    eras = list(Era.objects.all())
    timeline = paging.timeline_page(
        events=selectors.timeline_events(era=era, topic=topic),
        page=request.GET.get("page"),
        size=size,
        eras=eras if with_jumps and not era else [],
        years=None if topic else selectors.timeline_years(era=era),  # a topic's: counted
    )
    page = timeline.page
    page.object_list = list(page.object_list)
    selectors.attach_eras(page.object_list, eras=eras)
    return TimelineRequest(era=era, topic=topic, eras=eras, timeline=timeline)


class EventListView(TemplateView):
    """The timeline: published events in date order, in pages, grouped by era within a
    page; jump links to the page where each era and each decade begins."""

    template_name = "timeline/event_list.html"

    def get_context_data(self, **kwargs):
        reader = timeline_request(self.request, size=settings.TIMELINE_PAGE_SIZE)
        page = reader.timeline.page
        events, topics = page.object_list, list(Topic.objects.all())  # read: timeline_request
        selectors.attach_topics(events, topics=topics)
        paging.mark_decades(events)
        return super().get_context_data(
            events=events,
            groups=paging.era_groups(events),
            page_obj=page,
            paginator=page.paginator,
            page_links=[
                (n, reader.page_url(n) if isinstance(n, int) else "")
                for n in page.paginator.get_elided_page_range(page.number, on_each_side=2)
            ],
            era_jumps=[(jump, reader.page_url(jump.page)) for jump in reader.timeline.eras],
            decade_jumps=[(jump, reader.page_url(jump.page)) for jump in reader.timeline.decades],
            eras=reader.eras,
            topics=topics,
            selected_era=reader.era,
            selected_topic=reader.topic,
            **reader.neighbours(),
            **kwargs,
        )


class EventDetailView(PreviewMixin, DetailView):
    model = Event
    template_name = "timeline/event_detail.html"
    context_object_name = "event"

    def get_object(self, queryset=None):
        preview = selectors.may_preview(Event, user=self.request.user)
        event = selectors.event_page(slug=self.kwargs[self.slug_url_kwarg], preview=preview)
        if event is None:
            raise Http404(  # the words of a DetailView's 404 (in Thai: locale/th)
                _("No %(verbose_name)s found matching the query")
                % {"verbose_name": Event._meta.verbose_name}
            )
        return event

    def get_context_data(self, **kwargs):
        page_of_one(Event)  # it lists no events: its neighbours are events it shows
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
    """The published timeline for Knight Lab's TimelineJS, a page of it at a time (the
    latest ``TIMELINEJS_PAGE_SIZE`` events unless ``?page=`` says; ``?era=`` and ``?topic=``
    as on the timeline page; the other pages in the ``Link`` header); any site may fetch it."""
    reader = timeline_request(request, size=settings.TIMELINEJS_PAGE_SIZE, with_jumps=False)
    events = reader.timeline.page.object_list
    data = timelinejs.timeline_json(events=events, build_url=request.build_absolute_uri)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    neighbours = reader.neighbours()
    links = [
        f'<{request.build_absolute_uri(url)}>; rel="{relation}"'
        for relation, url in (
            ("prev", neighbours["previous_url"]),
            ("next", neighbours["next_url"]),
        )
        if url
    ]
    if links:
        response["Link"] = ", ".join(links)
    response["Access-Control-Allow-Origin"] = "*"
    return response


# Other sites may frame the embeddable timeline, and only it (every other page: DENY).
EMBED_CSP = {**settings.SECURE_CSP, "frame-ancestors": ["*"]}


@method_decorator([xframe_options_exempt, csp_override(EMBED_CSP)], name="dispatch")
class EmbedView(TemplateView):
    """A compact timeline, with no site chrome, for other sites' iframes: a page of it, with
    the timeline's filters (``?era=``, ``?topic=``, ``?page=``; the latest page by default)."""

    template_name = "timeline/embed.html"

    def get_context_data(self, **kwargs):
        reader = timeline_request(self.request, size=settings.TIMELINE_PAGE_SIZE, with_jumps=False)
        events = reader.timeline.page.object_list  # a list: read by timeline_request
        return super().get_context_data(
            events=events, groups=paging.era_groups(events), **reader.neighbours(), **kwargs
        )


class SearchView(ListView):
    """One search over published events, sources and people, with the timeline's filters."""

    template_name = "timeline/search.html"
    context_object_name = "results"
    paginate_by = search.PAGE_SIZE

    def get_queryset(self):
        self.form = SearchForm(self.request.GET)
        self.query = self.form.query()
        number = self.request.GET.get("page", "")  # read with the count, in one query
        entries, self.pattern = search.search_entries(
            query=self.query, language=get_language(), page=int(number) if number.isdigit() else 1
        )
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
            **selectors.search_choices(),
            results_capped=getattr(self.object_list, "capped", False),
            **kwargs,
        )
        search.attach_items(context["results"], self.pattern)
        return context
