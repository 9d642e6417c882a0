"""A declaration as the 比较 table of a stale save shows it (ui/dialogs/stale.py): every field by
its label on the form, every table as its rows (the cells of a row joined by “，”)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lzcenter_desktop.domain.formdef import FieldDef, FormDef, get_path


def _text(field: FieldDef, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return field.label_for(str(value)) if field.choices else str(value)


def document_fields(form: FormDef, document: Mapping[str, Any]) -> dict[str, str]:
    """Field label → text of a declaration document (the same labels for mine and theirs)."""
    out: dict[str, str] = {}
    for f in form.all_fields():
        out[f.label] = _text(f, get_path(document, f.key))
    for t in form.all_tables():
        rows = document.get(t.key)
        lines: list[str] = []
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, Mapping):
                cells = [_text(c, get_path(row, c.key)) for c in t.columns]
                lines.append("，".join(c for c in cells if c))
        out[t.label] = f"共 {len(lines)} 行" + ("：" + "；".join(lines) if lines else "")
    return out
