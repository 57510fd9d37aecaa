from newsroom.commands import ExportCommand


class Command(ExportCommand):
    things = "sources"
