"""The database router: tables the database keeps by itself are never dumped or loaded."""

# Written by triggers (migration 0017): loading a dump's rows beside the events it loads,
# each counted again as it is inserted, would count them twice.
KEPT_BY_THE_DATABASE = {("timeline", "eventyearcount")}


class KeptByTheDatabase:
    """``dumpdata`` leaves these tables out and ``loaddata`` skips their rows (both ask
    ``allow_migrate``); their migrations are the tables' own SQL (RunPython), asked
    without a model, which this router leaves to the default."""

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if (app_label, model_name) in KEPT_BY_THE_DATABASE:
            return False
        return None
