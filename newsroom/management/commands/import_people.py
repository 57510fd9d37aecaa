from newsroom.imports.commands import ImportCommand


class Command(ImportCommand):
    things = "people"
