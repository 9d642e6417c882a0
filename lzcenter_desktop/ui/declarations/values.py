"""Text ↔ value conversions of the form's field types, shared by the field editors, the grids and paste."""

from __future__ import annotations

import re
from typing import Any

from lzcenter_desktop.domain.dates import parse_typed_date
from lzcenter_desktop.domain.formdef import FieldDef

MAX_MONEY = 10**13
TRUE_WORDS = frozenset({"是", "√", "✓", "true", "True", "TRUE", "1", "y", "Y", "yes", "有"})
FALSE_WORDS = frozenset({"否", "×", "false", "False", "FALSE", "0", "n", "N", "no", "无", ""})


class BadValue(ValueError):
    """A typed or pasted text that is not a value of the field; the message is Chinese."""


def parse_text(fd: FieldDef, text: str, *, choices: tuple[tuple[str, str], ...] = ()) -> Any:
    """The stored value for ``text`` typed into (or pasted onto) field ``fd``; ``None`` when empty."""
    raw = text.strip()
    kind = fd.type
    if kind in ("text", "multiline"):
        if fd.max_length is not None and len(raw) > fd.max_length:
            raise BadValue(f"“{fd.label}”最多 {fd.max_length} 个字符，现有 {len(raw)} 个")
        return raw
    if raw == "":
        return None
    if kind == "date":  # typed as Excel takes it: 2026-05-20, 2026/5/20, 20260520, 2026年5月20日
        try:
            typed = parse_typed_date(raw)
        except ValueError as exc:
            raise BadValue(f"“{fd.label}”：{exc}") from None
        return typed.isoformat() if typed is not None else None
    if kind in ("int", "money"):
        digits = raw.replace(",", "").replace("，", "").replace(" ", "")
        if not re.fullmatch(r"\d+", digits):
            unit = "整数（元）" if kind == "money" else "整数"
            raise BadValue(f"“{fd.label}”：“{raw}”不是{unit}")
        value = int(digits)
        if value >= MAX_MONEY:
            raise BadValue(f"“{fd.label}”：“{raw}”过大")
        return value
    if kind == "area":
        digits = raw.replace(",", "")
        if not re.fullmatch(r"\d+(\.\d{1,2})?", digits):
            raise BadValue(f"“{fd.label}”：“{raw}”不是面积（平方米，最多两位小数）")
        number = float(digits)
        return int(number) if number.is_integer() and "." not in digits else number
    if kind == "bool":
        if raw in TRUE_WORDS:
            return True
        if raw in FALSE_WORDS:
            return False
        raise BadValue(f"“{fd.label}”：“{raw}”应为 是 或 否")
    if kind == "enum":
        code = fd.value_for(raw)
        if code is None:
            allowed = "/".join(label for _, label in fd.choices)
            raise BadValue(f"“{fd.label}”：“{raw}”不是可选值（{allowed}）")
        return code
    if kind == "multi_enum":
        parts = [p.strip() for p in re.split(r"[、,，;；\s]+", raw) if p.strip()]
        allowed_values = {label: value for value, label in choices} | {value: value for value, _ in choices}
        out = []
        for p in parts:
            if choices and p not in allowed_values:
                raise BadValue(f"“{fd.label}”：“{p}”不是可选值")
            out.append(allowed_values.get(p, p))
        return out
    return raw


def show_value(fd: FieldDef, value: Any) -> str:
    """How ``value`` of field ``fd`` is shown in a grid cell."""
    if value is None:
        return ""
    if fd.type == "bool":
        return "是" if value else "否"
    if fd.type == "enum":
        return fd.label_for(str(value))
    if fd.type in ("money", "int") and isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}" if fd.type == "money" else str(value)
    if fd.type == "multi_enum" and isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)
