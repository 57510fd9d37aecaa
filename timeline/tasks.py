"""Background work for the timeline, through django.tasks."""

from django.apps import apps
from django.db import DatabaseError
from django.tasks import task


@task()
def search_index_in_background(model_label: str, pks: list[int], attempt: int = 1) -> None:
    """Index rows a large import wrote (see timeline.search.on_content_changed); run again
    later if the database fails under it (indexing the same rows twice does no harm)."""
    from newsroom.planner import planner_statistics_refresh
    from newsroom.worker import again_later
    from timeline.search import search_index

    try:
        search_index(model=apps.get_model(model_label), pks=pks)
        planner_statistics_refresh(rows=len(pks))  # the search index grew by as many
    except DatabaseError as error:
        again_later(search_index_in_background, model_label, pks, attempt=attempt, error=error)
