"""What changed between two versions of an item: field by field, and word by word (Thai is
cut into words first, since it has no spaces)."""

import difflib
import re
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from newsroom.history.versions import BOOKKEEPING, followed, related_targets, version_fields

_SPLIT = re.compile(r"(\s+)")
# Below this share of words in common, a text is shown as rewritten rather than edited.
REWRITTEN = 0.5


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    diff: str  # HTML: the words removed and added, marked


def versions_diff(*, model, older: dict, newer: dict) -> list[FieldChange]:
    """What changed between two versions' values, field by field in form order, then the
    rows that belong to the item (citations), one line each."""
    changes = []
    for field in version_fields(model):
        if field.name in BOOKKEEPING:
            continue
        key = field.attname if not field.many_to_many else field.name
        before, after = older.get(key), newer.get(key)
        if _normal(before) == _normal(after):
            continue
        old, new = _display(field, before), _display(field, after)
        thai = field.name.endswith("_th")
        changes.append(FieldChange(str(field.verbose_name), old, new, words_diff(thai, old, new)))
    for name, _key, related in followed(model):
        old, new = (
            _rows_text(related, older.get(name, {})),
            _rows_text(related, newer.get(name, {})),
        )
        if old != new:  # the passages may be Thai or English: cut into words either way
            label = str(related._meta.verbose_name_plural)
            changes.append(FieldChange(label, old, new, words_diff(True, old, new)))
    return changes


# Left out of the lines: the item itself, the order (the lines are in it), bookkeeping.
HIDDEN = {"event", "position", *BOOKKEEPING}


def _rows_text(model, rows: dict) -> str:
    """One line per row, in the item's order: what an editor recognises (a source and its
    passage), not ids."""
    if not rows:
        return ""
    fields = [f for f in version_fields(model) if not f.primary_key and not f.many_to_many]
    fields = [f for f in fields if f.name not in HIDDEN]
    # One query per relation for the names, not one per row.
    names = {
        field: field.related_model._base_manager.in_bulk(targets)
        for field, targets in related_targets(model, rows.values()).items()
        if field in fields
    }

    def shown(field, row) -> str:
        value = row.get(field.attname)
        if field in names and value in names[field]:
            return str(names[field][value])
        return _display(field, value)

    ordered = sorted(rows.values(), key=lambda row: (row.get("position", 0), row["id"]))
    lines = []
    for row in ordered:
        texts = (shown(field, row) for field in fields)
        lines.append(" · ".join(text for text in texts if text and text != "—"))
    return "\n".join(lines)


def _normal(value):
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    return "" if value is None else value


def _display(field, value) -> str:
    if field.many_to_many:
        names = field.related_model.objects.filter(pk__in=value or [])
        return ", ".join(sorted(str(o) for o in names))
    if field.is_relation:
        target = field.related_model.objects.filter(pk=value).first() if value else None
        if target or value is None:
            return str(target) if target else "—"
        return _("#%(id)s (deleted)") % {"id": value}
    if field.choices:
        return str(dict(field.flatchoices).get(value, value or "—"))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "isoformat"):
        return date_format(value, "DATETIME_FORMAT" if hasattr(value, "hour") else "DATE_FORMAT")
    return "" if value is None else str(value)


def _tokens(text: str, thai: bool) -> list[str]:
    if thai:
        from pythainlp.tokenize import word_tokenize

        return word_tokenize(text, engine="newmm", keep_whitespace=True)
    return [t for t in _SPLIT.split(text) if t]


def words_diff(thai: bool, old: str, new: str) -> str:
    """Word-level diff; Thai has no spaces, so Thai text is cut into words first."""
    a, b = _tokens(old, thai), _tokens(new, thai)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < REWRITTEN:  # a rewrite reads better as before, then after
        return format_html("<del>{}</del><br><ins>{}</ins>", old, new)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
    return mark_safe("".join(out))  # every piece is escaped above
