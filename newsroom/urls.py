"""Root URLs. Public pages live under /th/ and /en/; the admin stays at /admin/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from newsroom import views
from newsroom.sitemaps import PageSitemap, PersonSitemap, SourceSitemap
from timeline.sitemaps import EventSitemap

# The newsroom app's own pages; this module is also the project's root URLconf.
newsroom_patterns = (
    [
        path("sources/", views.SourceListView.as_view(), name="source-list"),
        path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
        path("people/", views.PersonListView.as_view(), name="person-list"),
        path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    ],
    "newsroom",
)

SITEMAPS = {
    "pages": PageSitemap,
    "events": EventSitemap,
    "sources": SourceSitemap,
    "people": PersonSitemap,
}

urlpatterns = [
    path(
        "admin/worklist/",
        admin.site.admin_view(views.translation_worklist),
        name="translation-worklist",
    ),
    path("admin/", admin.site.urls),
    path("favicon.ico", views.favicon),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="newsroom/robots.txt", content_type="text/plain"),
    ),
    *i18n_patterns(
        path("", include("timeline.urls")),
        path("", include(newsroom_patterns)),
    ),
]
