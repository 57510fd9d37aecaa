"""The file contracts of sources and people (columns in this order are public), and the
registry of every importable model's spec."""

from newsroom.imports.columns import day_parser
from newsroom.imports.engine import Column, Spec
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


# Every importable model's spec, by the name commands use (import_events, ...). Apps
# register their own (the timeline in its AppConfig.ready): this package knows no app above.
_REGISTRY: dict[str, tuple[int, Spec]] = {}


def spec_register(name: str, spec: Spec, *, position: int) -> None:
    """Make ``spec`` importable as ``name``; ``position`` orders lists (the worklist)."""
    _REGISTRY[name] = (position, spec)


def specs() -> dict[str, Spec]:
    ordered = sorted(_REGISTRY.items(), key=lambda item: item[1][0])
    return {name: spec for name, (_position, spec) in ordered}


def spec_for(model) -> Spec:
    return next(spec for spec in specs().values() if spec.model is model)


spec_register("sources", SOURCE_SPEC, position=20)
spec_register("people", PERSON_SPEC, position=50)
