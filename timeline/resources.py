"""The file contracts of events, eras and topics (columns in this order are public)."""

from newsroom.imports.columns import converted_years, year_parser
from newsroom.imports.engine import Column, Parser, Spec
from newsroom.imports.specs import spec_register
from newsroom.models import Person, Source
from timeline.models import Citation, Era, Event, Topic


def _event_date(text: str) -> tuple[dict, str]:
    """The EDTF, its Buddhist Era years made CE; the bounds are derived as on save
    (``Event.derived``)."""
    converted, note = converted_years(text)
    return {"date": converted}, note


EVENT_DATE = Parser(
    (
        "date",
        "date_start",
        "date_end",
        "sort_start",
        "sort_end",
        "start_precision",
        "end_precision",
    ),
    _event_date,
)

EVENT_SPEC = Spec(
    model=Event,
    columns=(
        Column("slug", "slug", required=True),
        Column("date", "edtf", required=True),
        Column("display_date_th"),
        Column("display_date_en"),
        Column("title_th"),
        Column("title_en"),
        Column("summary_th"),
        Column("summary_en"),
        Column("body_th"),
        Column("body_en"),
        Column("era", "fk", Era),
        Column("topics", "many", Topic),
        Column("people", "many", Person),
        Column("sources", "many", Source),
        Column("status", "choice"),
    ),
    one_of=("title_th", "title_en"),
    parsers={"edtf": EVENT_DATE},
    exporters={"edtf": lambda row: row["date"]},
    through={
        "topics": (Event.topics.through, "event", "topic"),
        "people": (Event.people.through, "event", "person"),
        "sources": (Citation, "event", "source"),
    },
    # A citation carries its passage: an import adds citations, the admin removes them.
    add_only=frozenset({"sources"}),
)

# The columns eras and topics share.
NAMED = (
    Column("slug", "slug", required=True),
    Column("name_th"),
    Column("name_en"),
    Column("description_th"),
    Column("description_en"),
)

ERA_SPEC = Spec(
    model=Era,
    columns=(
        *NAMED,
        Column("start_year", "start_year", required=True),
        Column("end_year", "end_year"),
    ),
    one_of=("name_th", "name_en"),
    parsers={
        "start_year": year_parser("start_year", required=True),
        "end_year": year_parser("end_year"),
    },
    exporters={
        "start_year": lambda row: str(row["start_year"]),
        "end_year": lambda row: str(row["end_year"] or ""),
    },
)

TOPIC_SPEC = Spec(
    model=Topic,
    columns=NAMED,
    one_of=("name_th", "name_en"),
)

spec_register("events", EVENT_SPEC, position=10)
spec_register("eras", ERA_SPEC, position=30)
spec_register("topics", TOPIC_SPEC, position=40)
