from newsroom.commands import ImportCommand


class Command(ImportCommand):
    things = "sources"
