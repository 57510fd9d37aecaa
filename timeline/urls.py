from django.urls import path

from timeline import feeds, views

app_name = "timeline"
urlpatterns = [
    path("", views.EventListView.as_view(), name="event-list"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/", feeds.EventFeed(), name="feed"),
    path("feed/atom/", feeds.AtomEventFeed(), name="feed-atom"),
    path("timeline.json", views.timeline_json, name="timeline-json"),
    path("embed/", views.EmbedView.as_view(), name="embed"),
]
