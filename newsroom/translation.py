from modeltranslation.translator import TranslationOptions, register

from newsroom.history.versions import history_register
from newsroom.models import Note, Person, Quote, Source


@register(Source)
class SourceTranslationOptions(TranslationOptions):
    fields = ("title", "summary")


@register(Person)
class PersonTranslationOptions(TranslationOptions):
    fields = ("name", "role", "description")


@register(Quote)
class QuoteTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(Note)
class NoteTranslationOptions(TranslationOptions):
    fields = ("text",)


# Versioned here, once their translated columns exist (see newsroom/history.py).
history_register(Source)
history_register(Note)
history_register(Person)
history_register(Quote)
