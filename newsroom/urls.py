"""Root URLs. Public pages live under /th/ and /en/ (the timeline app); the admin at /admin/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from newsroom import views

handler500 = "newsroom.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("favicon.ico", views.favicon),
    path("", include("timeline.site_urls")),
    *i18n_patterns(path("", include("timeline.urls"))),
]
