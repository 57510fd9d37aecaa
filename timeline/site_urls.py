"""The public URLs outside /<language>/: the sitemap and robots.txt.

``/sitemap.xml`` is a sitemap index (what robots.txt names): it lists the sections'
sitemaps, ``/sitemap-<section>.xml?p=N``, each page within the protocol's 50,000 URLs.
"""

from django.contrib.sitemaps.views import index, sitemap
from django.urls import path
from django.views.generic import TemplateView

from timeline.sitemaps import SITEMAPS

urlpatterns = [
    path(
        "sitemap.xml",
        index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="timeline/robots.txt", content_type="text/plain"),
    ),
]
