from django.core.management.base import BaseCommand

from newsroom.accounts import ROLE_GROUPS, role_group_ensure


class Command(BaseCommand):
    help = (
        "Create (or bring up to date) the groups of the newsroom's roles: chief editors, "
        "editors, translators into English and into Thai. Safe to run again."
    )

    def handle(self, **options):
        for role, name in ROLE_GROUPS.items():
            group = role_group_ensure(role)
            if options["verbosity"]:
                self.stdout.write(f"{name}: {group.permissions.count()} permissions")
