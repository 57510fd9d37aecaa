"""Sitemaps of the public pages, every URL with its Thai and English alternates."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models.functions import Coalesce, Greatest

from newsroom.publishing.times import last_correction


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def get_urls(self, *args, **kwargs):
        # Django points x-default at the unprefixed URL; our pages name the Thai one (the
        # site's default language, see base.html): say the same here.
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            default = {a["lang_code"]: a["location"] for a in url["alternates"]}
            for alternate in url["alternates"]:
                if alternate["lang_code"] == "x-default":
                    alternate["location"] = default[settings.LANGUAGE_CODE]
        return urls

    def lastmod(self, item):
        return getattr(item, "last_changed", None) or item.updated_at


def with_last_change(queryset, *, note_field: str):
    """``last_changed``: the row's own update or its latest public correction, if later."""
    corrected = last_correction(note_field)
    return queryset.annotate(last_changed=Greatest("updated_at", Coalesce(corrected, "updated_at")))
