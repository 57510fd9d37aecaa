"""Sitemaps of the public pages, every URL with its Thai and English alternates."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils.functional import cached_property

from newsroom.publishing.times import correction_time, last_correction, public_corrections


class LanguagePairsPaginator(Paginator):
    """Pages of (item, language) pairs, as Django's i18n sitemaps page them, reading only
    the page's items from the database (Django's own reads every item for every page)."""

    def __init__(self, items: QuerySet, languages: list[str], per_page: int):
        super().__init__(items, per_page)
        self.items, self.languages = items, languages

    @cached_property
    def count(self) -> int:
        return self.items.count() * len(self.languages)

    def page(self, number):
        number = self.validate_number(number)
        per_page_items = self.per_page // len(self.languages)
        start = (number - 1) * per_page_items
        rows = self.items[start : start + per_page_items]
        pairs = [(item, language) for item in rows for language in self.languages]
        return self._get_page(pairs, number, self)


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    note_field = ""  # the Note field naming the items, whose corrections date them
    # URLs per page of a section (an item gives one per language, each with its alternates:
    # ~0.6 kB): far below the protocol's 50,000, so that a page stays small (~600 kB, 60 kB
    # gzipped) and cheap to make, and a server process's memory flat, at any archive size.
    limit = 1_000

    @property
    def paginator(self):
        items = self.items()
        if not isinstance(items, QuerySet):
            return super().paginator
        languages = [code for code, _name in settings.LANGUAGES]
        return LanguagePairsPaginator(items, languages, self.limit)

    def get_latest_lastmod(self):
        """The section's latest change, for the index: the latest update of its items or the
        latest public correction of one, whichever is later (what ``last_changed`` gives its
        latest item), two aggregates rather than one correction subquery an item."""
        items = self.items()
        if not isinstance(items, QuerySet):
            return None
        latest = items.order_by("-updated_at").values_list("updated_at", flat=True).first()
        if self.note_field:
            notes = public_corrections().filter(Exists(items.filter(pk=OuterRef(self.note_field))))
            newest = notes.order_by("-noted_on").values_list("noted_on", flat=True)
            if noted_on := newest.first():
                corrected = correction_time(noted_on)
                latest = max(latest, corrected) if latest else corrected
        return latest

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
