"""Where one public page's time goes, in-process (no HTTP, the page cache off): the whole
request, its SQL queries, and the share of the view's steps (the object's query and its
prefetches, or the event page's reads; the neighbours; the template), against the bare
view in the same process.

A database made by the web bench, kept (``bench/web_bench.py --keep``: web.sqlite3 and
static/ in its folder), or any other:

    DATABASE_URL=sqlite:////tmp/web.sqlite3 DJANGO_STATIC_ROOT=/tmp/static \\
        .venv/bin/python bench/page_profile.py /th/events/some-slug/ --requests 200
    ... --profile cumulative     # and a cProfile of the same requests, sorted so

The web bench says how far a page is from its target; this says which step to work on.
Its ratio to the bare view is larger than the web bench's: neither side pays for HTTP here.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="the page, e.g. /th/events/<slug>/")
    parser.add_argument("--requests", type=int, default=100, help="requests measured (100)")
    parser.add_argument("--profile", metavar="SORT", help="also a cProfile, sorted by SORT")
    return parser.parse_args()


def timed(steps: dict, owner, name: str, label: str) -> None:
    """``owner.name`` wrapped: its time added to ``steps[label]``."""
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            steps[label] += time.perf_counter() - start

    setattr(owner, name, wrapper)


def main() -> int:
    args = parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    os.environ["DJANGO_SETTINGS_MODULE"] = "bare_settings"  # the site and /bare/
    os.environ.update(PAGE_CACHE_SECONDS="0", DJANGO_ALLOWED_HOSTS="testserver")
    import django

    django.setup()
    from django.template.response import SimpleTemplateResponse
    from django.test import Client
    from django.views.generic.detail import SingleObjectMixin

    from timeline import search, selectors
    from timeline.forms import SearchForm

    steps: dict[str, float] = defaultdict(float)
    timed(steps, SingleObjectMixin, "get_object", "the object, with its prefetches")
    timed(steps, selectors, "event_page", "the event and what it shows of it")
    timed(steps, selectors, "adjacent_events", "previous and next")
    timed(steps, SearchForm, "query", "search: the query read")
    timed(steps, search, "search_entries", "search: the entries found")
    timed(steps, search, "attach_items", "search: their items and snippets")
    timed(steps, SimpleTemplateResponse, "render", "the template")

    client = Client()
    for _ in range(5):  # warm: templates compiled, connections open
        response = client.get(args.path)
        if response.status_code != 200:
            print(f"{args.path} answered {response.status_code}", file=sys.stderr)
            return 1
        client.get("/bare/")
    queries = client.get(args.path)["X-Query-Count"]  # bench/bare_urls.py counts them
    steps.clear()

    def sample(path: str) -> list[float]:
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        return times

    page = sample(args.path)
    measured = dict(steps)
    bare = statistics.median(sample("/bare/"))
    median = statistics.median(page)
    print(
        f"{args.path}: median {median:.2f} ms ({median / bare:.1f}x the bare view's {bare:.2f} ms)"
    )
    print(f"  {queries} SQL queries")
    for label, seconds in measured.items():
        print(f"  {label:<34}{seconds / args.requests * 1000:7.2f} ms (mean)")
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(sample, args.path)
        pstats.Stats(profile).sort_stats(args.profile).print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
