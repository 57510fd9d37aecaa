from modeltranslation.translator import TranslationOptions, register

from newsroom.history.versions import history_register
from timeline.models import Citation, Era, Event, Topic


@register(Era)
class EraTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Topic)
class TopicTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body", "display_date")


@register(Citation)
class CitationTranslationOptions(TranslationOptions):
    fields = ("note",)


# Versioned here, once their translated columns exist (see newsroom/history.py).
history_register(Event, follow=("citations",))
history_register(Citation)
history_register(Era)
history_register(Topic)
