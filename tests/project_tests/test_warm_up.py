"""A server process builds before it serves what Django and the search build on first use."""

import pytest
from django.urls import get_resolver
from django.utils import translation

from newsroom.apps import apps_warm_up


@pytest.mark.django_db
def test_the_warm_up_builds_every_languages_urls_and_runs_a_search(django_assert_max_num_queries):
    resolver = get_resolver()
    resolver._reverse_dict.clear()
    with django_assert_max_num_queries(50) as queries:
        apps_warm_up()
    for code in ("th", "en"):
        with translation.override(code):
            assert code in resolver._reverse_dict
    assert any("search" in q["sql"].lower() for q in queries.captured_queries)
