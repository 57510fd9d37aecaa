"""Export of a spec's rows in its public column order, streamed in chunks."""

from collections.abc import Iterator

from newsroom.imports.engine import SEPARATOR, Column, Spec


def _chunks(queryset, names: list[str], size: int = 2000) -> Iterator[list[dict]]:
    chunk = []
    for row in queryset.order_by("pk").values(*names).iterator(chunk_size=size):
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _related_slugs(spec: Spec, column: Column, pks: list[int]) -> dict[int, list[str]]:
    through, own, other = spec.through[column.name]
    links = through.objects.filter(**{f"{own}__in": pks}).values_list(own, f"{other}__slug")
    slugs: dict[int, list[str]] = {}
    for owner, slug in links.order_by(f"{other}__slug").distinct():
        slugs.setdefault(owner, {})[slug] = None  # a source cited twice is listed once
    return {owner: list(names) for owner, names in slugs.items()}


def _cell(spec: Spec, column: Column, row: dict, related: dict) -> str:
    if column.kind in spec.exporters:
        return spec.exporters[column.kind](row)
    if column.kind == "many":
        return SEPARATOR.join(related[column.name].get(row["pk"], []))
    value = row[f"{column.name}__slug" if column.kind == "fk" else column.name]
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def export_rows(spec: Spec, queryset) -> Iterator[list[str]]:
    """The rows of ``queryset`` as cells in the spec's column order, streamed in chunks."""
    names = ["pk"]
    for column in spec.columns:
        if column.kind in spec.exporters or column.kind == "many":
            names += spec.parsers[column.kind].fields if column.kind in spec.parsers else []
        else:
            names.append(f"{column.name}__slug" if column.kind == "fk" else column.name)
    many = [c for c in spec.columns if c.kind == "many"]
    for chunk in _chunks(queryset, list(dict.fromkeys(names))):
        pks = [row["pk"] for row in chunk]
        related = {c.name: _related_slugs(spec, c, pks) for c in many}
        for row in chunk:
            yield [_cell(spec, c, row, related) for c in spec.columns]
