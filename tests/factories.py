import factory

from newsroom.models import Person, Source, Status
from timeline.models import Citation, Era, Event, Topic


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title_th = factory.Sequence(lambda n: f"แหล่งข่าวที่ {n}")
    title_en = factory.Sequence(lambda n: f"Source {n}")
    publisher = "Test Press"
    status = Status.PUBLISHED


class EraFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Era

    slug = factory.Sequence(lambda n: f"era-{n}")
    name_th = factory.Sequence(lambda n: f"ยุคที่ {n}")
    name_en = factory.Sequence(lambda n: f"Era {n}")
    start_year = 1945


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name_th = factory.Sequence(lambda n: f"หัวข้อ {n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    slug = factory.Sequence(lambda n: f"person-{n}")
    name_th = factory.Sequence(lambda n: f"บุคคล {n}")
    name_en = factory.Sequence(lambda n: f"Person {n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    title_th = factory.Sequence(lambda n: f"เหตุการณ์ที่ {n}")
    title_en = factory.Sequence(lambda n: f"Event {n}")
    summary_th = "สรุปเหตุการณ์"
    summary_en = "What happened"
    date = "2025-08-22"
    status = Status.PUBLISHED


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    event = factory.SubFactory(EventFactory)
    source = factory.SubFactory(SourceFactory)
    passage = "ข้อความจากแหล่งข่าว"
