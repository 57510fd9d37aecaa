"""Background work for the timeline, through django.tasks."""

from django.apps import apps
from django.tasks import task


@task()
def search_index_in_background(model_label: str, pks: list[int]) -> None:
    """Index rows a large import wrote (see timeline.search.on_content_changed)."""
    from timeline.search import search_index

    search_index(model=apps.get_model(model_label), pks=pks)
