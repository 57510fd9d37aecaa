from django.core.management.base import BaseCommand

from newsroom.translations.status import coverage, target_languages


class Command(BaseCommand):
    help = (
        "How much of the published content is fully translated, per language: "
        "for each kind of item, how many are missing a translation or stale."
    )

    def handle(self, **options):
        for language in target_languages():
            self.stdout.write(f"Translations into {language}:")
            rows = coverage(language)
            for row in rows:
                self.stdout.write(
                    f"  {row['name']:<8} {row['total']:>6} published  "
                    f"{row['missing']:>5} missing  {row['stale']:>5} stale"
                )
            total = sum(row["total"] for row in rows)
            complete = total - sum(row["missing"] + row["stale"] for row in rows)
            share = 100 * complete / total if total else 100
            self.stdout.write(
                f"  fully translated and up to date: {complete}/{total} ({share:.0f}%)"
            )
