from newsroom.imports.commands import ImportCommand


class Command(ImportCommand):
    things = "sources"
