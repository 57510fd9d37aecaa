from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.generic import DetailView, ListView

from newsroom.models import Note, Person, Quote, Source
from timeline.models import Event


def _published_events():
    return Event.objects.published().for_timeline()


class SourceListView(ListView):
    template_name = "newsroom/source_list.html"
    context_object_name = "sources"

    def get_queryset(self):
        return (
            Source.objects.published()
            .select_related("translation_of")
            .annotate(
                event_count=Count("events", filter=Q(events__status="published"), distinct=True)
            )
        )


class SourceDetailView(DetailView):
    template_name = "newsroom/source_detail.html"
    context_object_name = "source"

    def get_queryset(self):
        return (
            Source.objects.published()
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
            event_count=Count("events", filter=Q(events__status="published"), distinct=True)
        )


class PersonDetailView(DetailView):
    template_name = "newsroom/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.prefetch_related(
            Prefetch("events", _published_events()),
            Prefetch(
                "quotes", Quote.objects.select_related("source").filter(source__status="published")
            ),
            "affiliations",
            "members",
        )


def favicon(request):
    """Browsers ask for /favicon.ico on every page, the admin's too."""
    return redirect(static("newsroom/favicon.svg"), permanent=True)
