"""Set-based writes for bulk imports: plain dicts in, one executemany per batch.

``bulk_create`` and ``bulk_update`` build a model instance per row and compile SQL per
value, which costs more than the database does. Here each value still goes through its
field's ``get_db_prep_save`` (so it is adapted exactly as Django would), but rows stay
dicts. Fields the rows do not mention get their defaults; ``auto_now`` fields get now;
modeltranslation's base column gets the default language's text (or the other's).
"""

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from newsroom.i18n import LANGUAGE_CODES, translated_fields


def _base_value(row: dict, name: str) -> str:
    ordered = [settings.MODELTRANSLATION_DEFAULT_LANGUAGE, *LANGUAGE_CODES]
    return next((row[f"{name}_{code}"] for code in ordered if row.get(f"{name}_{code}")), "")


def _with_base_columns(model, row: dict) -> dict:
    for name in translated_fields(model):
        if any(f"{name}_{code}" in row for code in LANGUAGE_CODES):
            row = {**row, name: _base_value(row, name)}
    return row


ROWS_PER_STATEMENT = 100
# Values of these fields need their database preparation; others pass as they are.
_PREPARED = (models.DateField, models.JSONField, models.DecimalField, models.UUIDField)


def _prep(field):
    if isinstance(field, _PREPARED):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def insert_rows(model, rows: list[dict]) -> None:
    """INSERT ``rows`` (dicts by attname) into ``model``'s table, without returning ids."""
    if not rows:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    stamped = {
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    preps = [
        (f.attname, _prep(f), now if f.attname in stamped else f.get_default()) for f in fields
    ]
    quote = connection.ops.quote_name
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) VALUES "
    )
    one_row = f"({', '.join(['%s'] * len(fields))})"
    # Many rows per statement (few round trips), but not so many that one statement's
    # parameters hold a whole batch of long texts in memory at once.
    size = max(1, min(ROWS_PER_STATEMENT, connection.ops.bulk_batch_size(fields, rows)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params = []
            for row in chunk:
                params += _row_values(_with_base_columns(model, row), preps)
            cursor.execute(head + ", ".join([one_row] * len(chunk)), params)


def _row_values(row: dict, preps) -> list:
    values = [row.get(name, default) for name, _prep_value, default in preps]
    for index, (_name, prep, _default) in enumerate(preps):
        if prep:
            values[index] = prep(values[index])
    return values


def update_rows(model, rows: list[tuple[int, dict]]) -> None:
    """UPDATE each (pk, {attname: value}) row, grouped by the set of columns it changes."""
    groups: dict[tuple[str, ...], list] = {}
    now = timezone.now()
    for pk, values in rows:
        values = _with_base_columns(model, values)
        if any(f.attname == "updated_at" for f in model._meta.concrete_fields):
            values = {**values, "updated_at": now}
        groups.setdefault(tuple(sorted(values)), []).append((pk, values))
    quote = connection.ops.quote_name
    for names, members in groups.items():
        fields = [model._meta.get_field(name) for name in names]
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        sql = (
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
            f"WHERE {quote(model._meta.pk.column)} = %s"
        )
        params = [
            [f.get_db_prep_save(values[f.attname], connection) for f in fields] + [pk]
            for pk, values in members
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
