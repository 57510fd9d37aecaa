"""The public pages' cache: whole rendered pages, each dropped when what it shows changes.

A stored page keeps what it depends on (``dependencies``: the items it loaded, the lists it
shows); an edit, publish, unpublish, import or undo makes old only the pages that depend on
what it wrote. Every page's key also holds the cache's *generation*, which starts anew
when the database was migrated, after the cache was unreachable (writes meanwhile could not
reach it), and when the next scheduled ``publish_at`` of an event or a source comes: so
scheduled publishing needs no job.
"""

import logging
import math
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models import Min
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone
from django.utils.cache import (
    get_cache_key,
    learn_cache_key,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date, split_directive_names

from newsroom.publishing import dependencies

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is a dependency
    RedisError = OSError

# A cache that cannot be reached: pages are rendered without it meanwhile.
CACHE_DOWN = (RedisError, OSError)
logger = logging.getLogger(__name__)

STATE_KEY = "pages:generation"
# The query parameters of public pages (filters, search, pagination). A page asked for with
# any other (utm_source=...) is served but not stored, so that no one can fill the cache.
# p: a page of a sitemap section.
PUBLIC_PARAMS = {"era", "topic", "person", "q", "from", "to", "page", "p"}
# Search results are not stored: each reader's words would be a page of their own, and
# anyone could fill the cache with them.
SEARCH_PARAMS = {"q", "from", "to"}
# Whoever carries one of these cookies may see something of their own (previews, messages).
PERSONAL_COOKIES = {settings.SESSION_COOKIE_NAME, "messages"}
# Pages outside /<language>/ that are public too.
PUBLIC_ROOT_PATHS = {"/sitemap.xml", "/robots.txt"}
NEVER_STORE = {"private", "no-cache", "no-store"}  # a view's own Cache-Control says so
_GZIP = GZipMiddleware(lambda request: None)


@dataclass(frozen=True)
class Generation:
    key: str
    since: datetime  # when it began: the pages' Last-Modified
    ends: datetime | None  # the next scheduled publish_at: no page may outlive it

    def seconds_left(self, limit: int) -> int:
        if self.ends is None:
            return limit
        left = math.floor((self.ends - timezone.now()).total_seconds())
        return max(0, min(limit, left))


# The generation -------------------------------------------------------------------------


def _process_local() -> bool:
    return isinstance(caches["default"], LocMemCache)


def _marker() -> Path:
    return Path(settings.MEDIA_ROOT) / ".page-generation"


def _marker_value() -> int:
    """When the last generation began, as every process on this machine sees it.

    A cache in local memory is each process's own: the web server would never hear of an
    import run by the worker or by a command. On one machine, this file's time tells it.
    """
    if not _process_local():
        return 0
    try:
        return _marker().stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def _touch_marker() -> int:
    if _process_local():
        _marker().parent.mkdir(parents=True, exist_ok=True)
        _marker().touch()  # sets the time to now, to the nanosecond
    return _marker_value()


def generation_start() -> None:
    """Leave every cached page behind: the next request renders each page again."""
    state = {"key": uuid.uuid4().hex, "since": timezone.now(), "marker": _touch_marker()}
    cache.set(STATE_KEY, state, None)


def _publishable_models() -> list:
    """Every model with a workflow (sources here, events in the timeline), from the registry."""
    from newsroom.models import PublishableModel

    return [m for m in apps.get_models() if issubclass(m, PublishableModel)]


def _schedule_tags() -> list[str]:
    """The lists whose change may change the schedule (every model with a workflow)."""
    return [f"l:{m._meta.label_lower}" for m in _publishable_models()]


def _next_publish_at() -> datetime | None:
    models = _publishable_models()
    times = [m.objects.scheduled().aggregate(at=Min("publish_at"))["at"] for m in models]
    return min((at for at in times if at), default=None)


def _state() -> dict:
    state, marker = cache.get(STATE_KEY), _marker_value()
    if state is not None and state["marker"] == marker:
        return state
    fresh = {"key": uuid.uuid4().hex, "since": timezone.now(), "marker": marker}
    if state is None:
        # add(), not set(): a writer's generation, stored in the meantime, wins.
        cache.add(STATE_KEY, fresh, None)
        return cache.get(STATE_KEY) or fresh
    cache.set(STATE_KEY, fresh, None)  # another process began a generation: follow it
    return fresh


def current_generation() -> Generation:
    """The generation pages are stored under now (a new one once a scheduled item is due)."""
    state = _state()
    ends_key = f"pages:ends:{state['key']}"
    known = cache.get(ends_key)
    if known is None or not known["schedule"].good():  # scheduled, moved or published since
        clock = dependencies.clock_now()  # before the read: a write after it makes it old
        schedule = dependencies.reading(clock=clock, tags=_schedule_tags())
        known = {"ends": _next_publish_at() or "", "schedule": schedule}
        cache.set(ends_key, known, settings.PAGE_CACHE_SECONDS)
    ends = known["ends"]
    if ends and timezone.now() >= ends:
        generation_start()
        return current_generation()
    return Generation(key=state["key"], since=state["since"], ends=ends or None)


# The cache's outages, as this process saw them ------------------------------------------

_outage = {"since": None}


def cache_down(error: Exception) -> None:
    """The cache did not answer: said once per outage (not once per request)."""
    if _outage["since"] is None:
        _outage["since"] = timezone.now()
        logger.error("The page cache cannot be reached (%s): pages are served uncached.", error)


def cache_up() -> None:
    """The cache answers (again). After an outage no stored page can be trusted: what was
    written meanwhile could not end their generation, so a new one begins."""
    if (since := _outage["since"]) is None:
        return
    generation_start()
    _outage["since"] = None
    logger.warning("The page cache answers again (down since %s): pages render anew.", since)


def _generation_start_guarded() -> None:
    try:
        generation_start()
    except CACHE_DOWN as error:  # the write is committed; the pages follow when it is back
        cache_down(error)


@receiver(post_migrate)
def _migrated(sender, **kwargs):
    # A migrated (or, in tests, flushed) database: no page rendered before can be trusted.
    if sender.name == "newsroom":
        _generation_start_guarded()


# The pages ------------------------------------------------------------------------------


def is_public(request) -> bool:
    """A reader's GET or HEAD of a public page: /th/..., /en/..., the sitemap and robots.txt."""
    if request.method not in ("GET", "HEAD"):
        return False
    path = request.path_info
    languages = (f"/{code}/" for code, _name in settings.LANGUAGES)
    sitemap = path.startswith("/sitemap-") and path.endswith(".xml")  # a section's pages
    return path in PUBLIC_ROOT_PATHS or sitemap or any(path.startswith(p) for p in languages)


def is_personal(request) -> bool:
    """Signed-in staff (previews) or someone with messages waiting: never a shared page."""
    return not PERSONAL_COOKIES.isdisjoint(request.COOKIES)


def _storable(request) -> bool:
    # A page rendered inside an open transaction may show writes later rolled back (and
    # every ordinary test runs in one): never store it, never serve it a stored page.
    in_transaction = transaction.get_connection().in_atomic_block
    params = set(request.GET)
    return not in_transaction and params <= PUBLIC_PARAMS and not params & SEARCH_PARAMS


@contextmanager
def _as_any_reader(request):
    """The request as the cache keys it: what varies between readers without changing the
    page does not make a page of its own (any Accept-Encoding that takes gzip is "gzip";
    cookies, which a shared page never depends on, are none)."""
    meta = request.META
    takes_gzip = "gzip" in meta.get("HTTP_ACCEPT_ENCODING", "").lower()
    request.META = {**meta, "HTTP_ACCEPT_ENCODING": "gzip" if takes_gzip else "", "HTTP_COOKIE": ""}
    try:
        yield
    finally:
        request.META = meta


def page_get(request, generation: Generation):
    """The stored page for this request, or None (none stored, or what it shows changed)."""
    if not _storable(request):
        return None
    with _as_any_reader(request):
        key = get_cache_key(request, f"pages.{generation.key}", "GET", cache=cache)
    stored = cache.get(key) if key else None
    if stored is None:
        return None
    response, reading = stored
    return response if reading.good() else None


def _shareable(response) -> bool:
    directives = set(split_directive_names(response.get("Cache-Control", "")))
    ok = response.status_code == 200 and not response.streaming and not response.cookies
    return ok and not directives & NEVER_STORE


def _mark_public(response, generation: Generation, reading) -> None:
    if not response.has_header("Cache-Control"):
        max_age = generation.seconds_left(settings.PAGE_MAX_AGE)
        patch_cache_control(response, public=True, max_age=max_age)
    # When the latest change it shows was made, in whole seconds: two changes within one
    # second share it, and only the ETag (which browsers send too, and which wins) tells
    # them apart.
    if not response.has_header("Last-Modified"):
        changed = max(generation.since.timestamp(), reading.last_changed)
        response["Last-Modified"] = http_date(math.ceil(changed))
    patch_vary_headers(response, ["Cookie"])  # staff see previews; proxies must tell apart
    if not response.has_header("ETag"):
        # Once, here, rather than on every hit; of the text itself, before it is compressed
        # (gzip output varies), so that every process and every encoding gives the same.
        set_response_etag(response)


def page_store(request, response, generation: Generation, reading) -> None:
    """Mark a reader's page public (browsers and proxies may keep it), compress, store it
    with what it depends on (``reading``: unless that changed while it rendered)."""
    if not _shareable(response):
        return
    _mark_public(response, generation, reading)
    # Compressed once, before it is stored (a reader's page holds no secret for BREACH).
    _GZIP.process_response(request, response)
    timeout = generation.seconds_left(settings.PAGE_CACHE_SECONDS)
    if request.method == "GET" and timeout and reading.fresh and _storable(request):
        with _as_any_reader(request):
            prefix = f"pages.{generation.key}"
            key = learn_cache_key(request, response, timeout, prefix, cache=cache)
        cache.set(key, (response, reading), timeout)


def page_mark(request, response) -> None:
    """A reader's page when nothing is stored (``PAGE_CACHE_SECONDS`` 0): marked for browsers
    (for ``PAGE_MAX_AGE``) and compressed, as if it were stored."""
    if _shareable(response):
        now = Generation(key="", since=timezone.now(), ends=None)
        _mark_public(response, now, dependencies.Reading(clock=0))
        _GZIP.process_response(request, response)


def personal_headers(response):
    """What staff see is theirs alone, and their browser asks again each time (ETag: 304)."""
    patch_cache_control(response, private=True, no_cache=True)
    return response
