"""What a stored page shows, and which writes make it old: invalidation by dependency.

While a reader's page renders, every content row it loads is noted (``post_init``): the page
depends on those items. A page that lists things (the timeline, the feeds, a source's
events...) also depends on the *lists* of every kind of item, which change when an item
appears, leaves or moves; an item's own page depends on no list of its kind (its previous
and next are items it loaded; a move tells its new neighbours, ``tags_bump``).

A write bumps tags, once its transaction commits (``content_changed``):

- ``i:<model>:<pk>``  the item: its text, slug, relations... (pages that loaded it)
- ``m:<model>``       any item of the kind (pages that loaded too many of them to name each)
- ``b:<model>``       items of the kind written in bulk, unnamed (every page that loaded one)
- ``l:<model>``       the kind's lists: an item appeared, left or moved (pages that list)

A tag's version says when it was last bumped, on a clock every process shares: a stored page
is good while none of its tags was bumped after the page began to render. The versions live in
the shared cache (Redis: one counter), or, when the cache is each process's own memory, in
the times of files on this machine (``MEDIA_ROOT/.page-tags``), which every process sees.
"""

import hashlib
import os
import time
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import post_init
from django.dispatch import receiver

from newsroom.signals import content_changed, is_content

# Past this many items of one kind, a page depends on every item of the kind (``m:``):
# a sitemap section names thousands of events, and checking each would cost more than it saves.
ITEM_TAGS_MAX = 200
CLOCK_KEY = "pages:clock"


def item_tag(model, pk) -> str:
    return f"i:{model._meta.label_lower}:{pk}"


def _kind_tag(prefix: str, model) -> str:
    return f"{prefix}:{model._meta.label_lower}"


# The versions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    clock: int  # the shared clock's value when the tag was bumped
    at: float  # when, as a Unix time: the pages' Last-Modified


class CacheVersions:
    """Versions kept in the shared cache (Redis): the clock is a counter there, begun at the
    time in nanoseconds, so that a clock evicted and begun again never goes back."""

    def now(self) -> int:
        clock = cache.get(CLOCK_KEY)
        if clock is None:
            cache.add(CLOCK_KEY, time.time_ns(), None)
            clock = cache.get(CLOCK_KEY) or 0
        return clock

    def read(self, tags) -> dict[str, Version | None]:
        found = cache.get_many(list(tags))
        return {tag: found.get(tag) for tag in tags}

    def bump(self, tags) -> None:
        if not tags:
            return
        self.now()
        clock = cache.incr(CLOCK_KEY)
        cache.set_many({tag: Version(clock, time.time()) for tag in tags}, None)

    def start(self, tags) -> None:
        """Tags unknown to the cache (never bumped, or evicted) take the clock's time: a page
        stored before an eviction can then never pass for fresh."""
        missing = [tag for tag, version in self.read(tags).items() if version is None]
        if missing:
            version = Version(self.now(), time.time())
            for tag in missing:
                cache.add(tag, version, None)


class FileVersions:
    """Versions as the modification times of files, for caches in each process's memory:
    a write made by the background worker or a command reaches the web server's pages."""

    def _folder(self) -> Path:
        return Path(settings.MEDIA_ROOT) / ".page-tags"

    def _path(self, tag: str) -> Path:
        return self._folder() / hashlib.blake2b(tag.encode(), digest_size=12).hexdigest()

    def now(self) -> int:
        return time.time_ns()

    def read(self, tags) -> dict[str, Version | None]:
        versions = {}
        for tag in tags:
            try:
                ns = self._path(tag).stat().st_mtime_ns
            except FileNotFoundError:
                ns = 0  # never bumped
            versions[tag] = Version(ns, ns / 1e9)
        return versions

    def bump(self, tags) -> None:
        if not tags:
            return
        self._folder().mkdir(parents=True, exist_ok=True)
        for tag in tags:
            path = self._path(tag)
            path.touch()
            old = path.stat().st_mtime_ns
            # Later than the last bump even if the file system's clock is coarse.
            ns = max(time.time_ns(), old + 1)
            os.utime(path, ns=(ns, ns))

    def start(self, tags) -> None:
        pass  # a missing file is version zero; files are not evicted


def versions():
    return FileVersions() if isinstance(caches["default"], LocMemCache) else CacheVersions()


# What a page loads ------------------------------------------------------------------------


@dataclass
class Shown:
    """What the page being rendered has loaded, and whether it is one item's own page."""

    items: dict = field(default_factory=lambda: defaultdict(set))  # model -> pks
    own_kind: type | None = None  # the kind whose item this page is (no list of it)

    def tags(self) -> set[str]:
        tags = set()
        for model, pks in self.items.items():
            tags.add(_kind_tag("b", model))
            if len(pks) > ITEM_TAGS_MAX:
                tags.add(_kind_tag("m", model))
            else:
                tags.update(item_tag(model, pk) for pk in pks)
        tags.update(_kind_tag("l", m) for m in _content_models() if m is not self.own_kind)
        return tags


_shown: ContextVar[Shown | None] = ContextVar("page_shown", default=None)


@contextmanager
def page_render():
    """Note what the page rendered in the block loads."""
    shown = Shown()
    token = _shown.set(shown)
    try:
        yield shown
    finally:
        _shown.reset(token)


def page_of_one(model) -> None:
    """Called by the view of an item's own page: the page lists nothing of its kind."""
    if (shown := _shown.get()) is not None:
        shown.own_kind = model


@receiver(post_init, dispatch_uid="page-dependencies-loaded")
def _loaded(sender, instance, **kwargs):
    shown = _shown.get()
    if shown is not None and instance.pk is not None and sender in _content_models():
        shown.items[sender].add(instance.pk)


_content = {}


def _content_models() -> frozenset:
    if "models" not in _content:
        _content["models"] = frozenset(m for m in apps.get_models() if is_content(m))
    return _content["models"]


# The writes -------------------------------------------------------------------------------


def tags_bump(tags) -> None:
    """Make the pages that depend on ``tags`` old (after the transaction commits)."""
    tags = set(tags)
    transaction.on_commit(lambda: tags_bump_now(tags))


def tags_bump_now(tags) -> None:
    """Make the pages that depend on ``tags`` old, now (the writes are committed)."""
    from newsroom.publishing.cache import CACHE_DOWN, cache_down

    try:
        versions().bump(tags)
    except CACHE_DOWN as error:  # the write is committed; pages follow when it is back
        cache_down(error)


def changed_tags(*, model, pks: list | None, bulk: bool, listed: list | None) -> set[str]:
    """The tags a write of ``model`` bumps (``listed``: the pks that may have appeared, left
    or moved in lists; None: all of them)."""
    tags = {_kind_tag("m", model)}
    if bulk or pks is None:
        return tags | {_kind_tag("b", model), _kind_tag("l", model)}
    tags.update(item_tag(model, pk) for pk in pks)
    if listed is None or listed:
        tags.add(_kind_tag("l", model))
    return tags


@receiver(content_changed, dispatch_uid="page-dependencies-changed")
def _content_changed(sender, pks=None, bulk=False, listed=None, shown_on=(), **kwargs):
    tags = changed_tags(model=sender, pks=pks, bulk=bulk, listed=listed)
    tags.update(item_tag(model, pk) for model, pk in shown_on)
    tags_bump(tags)


# Reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """A page's dependencies, as they stood when it began to render (``clock``)."""

    clock: int
    tags: tuple[str, ...] = ()
    last_changed: float = 0.0  # when the latest change it shows was made (Unix time)
    fresh: bool = True  # nothing it shows changed while it rendered

    def good(self) -> bool:
        """No tag of the page was bumped since it began to render."""
        return _all_before(versions().read(self.tags), self.clock)


def _all_before(found: dict, clock: int) -> bool:
    return all(v is not None and v.clock <= clock for v in found.values())


def clock_now() -> int:
    return versions().now()


def reading(*, clock: int, tags) -> Reading:
    """The dependencies of a page that began to render at ``clock``."""
    tags = tuple(sorted(tags))
    store = versions()
    store.start(tags)
    found = store.read(tags)
    last = max((v.at for v in found.values() if v is not None), default=0.0)
    return Reading(clock=clock, tags=tags, last_changed=last, fresh=_all_before(found, clock))
