from newsroom.imports.commands import ExportCommand


class Command(ExportCommand):
    things = "eras"
