from django.views.generic import DetailView, ListView, TemplateView

from newsroom.models import Source
from newsroom.translation_status import original_updated
from newsroom.views import PreviewMixin
from timeline import selectors
from timeline.models import Era, Event, Topic


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
        sources = Source.objects.published().select_related("translation_of")
        return super().get_context_data(sources=sources, **kwargs)
