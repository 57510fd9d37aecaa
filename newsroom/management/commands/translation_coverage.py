from django.core.management.base import BaseCommand

from newsroom.i18n import missing_translation_q
from newsroom.resources import specs
from newsroom.translation_status import stale_q, target_languages


class Command(BaseCommand):
    help = (
        "How much of the published content is fully translated, per language: "
        "for each kind of item, how many are missing a translation or stale."
    )

    def handle(self, **options):
        for language in target_languages():
            self.stdout.write(f"Translations into {language}:")
            total = complete = 0
            for name, spec in specs().items():
                items = spec.model.objects.all()
                if hasattr(items, "published"):
                    items = items.published()
                count = items.count()
                missing = items.filter(missing_translation_q(spec.model, language)).count()
                stale = (
                    items.filter(stale_q(spec.model, language))
                    .exclude(missing_translation_q(spec.model, language))
                    .count()
                )
                total, complete = total + count, complete + count - missing - stale
                self.stdout.write(
                    f"  {name:<8} {count:>6} published  {missing:>5} missing  {stale:>5} stale"
                )
            share = 100 * complete / total if total else 100
            self.stdout.write(
                f"  fully translated and up to date: {complete}/{total} ({share:.0f}%)"
            )
