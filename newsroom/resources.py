"""The file contracts of sources and people (columns in this order are public)."""

from newsroom.bulk import Column, Spec
from newsroom.columns import day_parser
from newsroom.models import Person, Source

SOURCE_SPEC = Spec(
    model=Source,
    columns=(
        Column("slug", "slug", required=True),
        Column("title_th"),
        Column("title_en"),
        Column("publisher"),
        Column("author"),
        Column("url"),
        Column("published_on", "day"),
        Column("language", "choice"),
        Column("summary_th"),
        Column("summary_en"),
        Column("status", "choice"),
    ),
    one_of=("title_th", "title_en"),
    parsers={"day": day_parser},
)

PERSON_SPEC = Spec(
    model=Person,
    columns=(
        Column("slug", "slug", required=True),
        Column("kind", "choice"),
        Column("name_th"),
        Column("name_en"),
        Column("role_th"),
        Column("role_en"),
        Column("description_th"),
        Column("description_en"),
        Column("affiliations", "many", Person),
    ),
    one_of=("name_th", "name_en"),
    through={"affiliations": (Person.affiliations.through, "from_person", "to_person")},
)


def specs():
    """Every importable model's spec, by the name commands use (import_events, ...)."""
    from timeline.resources import ERA_SPEC, EVENT_SPEC, TOPIC_SPEC

    return {
        "events": EVENT_SPEC,
        "sources": SOURCE_SPEC,
        "eras": ERA_SPEC,
        "topics": TOPIC_SPEC,
        "people": PERSON_SPEC,
    }


def spec_for(model) -> Spec:
    return next(spec for spec in specs().values() if spec.model is model)
