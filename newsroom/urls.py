"""Root URLs. Public pages live under /th/ and /en/; the admin stays at /admin/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from newsroom import views

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

urlpatterns = [
    path(
        "admin/worklist/",
        admin.site.admin_view(views.translation_worklist),
        name="translation-worklist",
    ),
    path("admin/", admin.site.urls),
    path("favicon.ico", views.favicon),
    *i18n_patterns(
        path("", include("timeline.urls")),
        path("", include(newsroom_patterns)),
    ),
]
