"""Form definitions (``forms/<kind>-<year>.toml``) as typed values.

One definition per call year drives the wizard pages, the Excel template, the printed form
and the required-field checks. Pure Python: the caller reads the file (or passes text).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

FIELD_TYPES = frozenset({"text", "multiline", "date", "int", "money", "area", "bool", "enum", "multi_enum"})


class FormDefinitionError(ValueError):
    """The TOML does not describe a valid form; the message names the place."""


@dataclass(frozen=True, slots=True)
class FieldDef:
    key: str  # interchange path relative to the document (fields) or to the row (columns)
    label: str
    type: str
    required: bool = False
    required_if: str | None = None  # "path == value"
    help: str = ""
    example: str = ""
    max_length: int | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    choices_from: str | None = None

    def label_for(self, value: str) -> str:
        for code, label in self.choices:
            if code == value:
                return label
        return value

    def value_for(self, label_or_value: str) -> str | None:
        """The stored value for what a person typed or picked: a label or the value itself."""
        for code, label in self.choices:
            if label_or_value in (code, label):
                return code
        return None

    def is_required(self, document: Mapping[str, Any]) -> bool:
        if self.required:
            return True
        if self.required_if:
            path, _, expected = (part.strip() for part in self.required_if.partition("=="))
            return str(get_path(document, path)) == expected
        return False


@dataclass(frozen=True, slots=True)
class TableDef:
    key: str
    label: str
    columns: tuple[FieldDef, ...]
    min_rows: int = 0

    def column(self, key: str) -> FieldDef:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)


@dataclass(frozen=True, slots=True)
class SectionDef:
    id: str
    title: str
    help: str = ""
    fields: tuple[FieldDef, ...] = ()
    tables: tuple[TableDef, ...] = ()


@dataclass(frozen=True, slots=True)
class FormDef:
    kind: str
    call_year: int
    title: str
    interchange_format: str
    sections: tuple[SectionDef, ...] = field(default=())

    def section(self, section_id: str) -> SectionDef:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def all_fields(self) -> Iterator[FieldDef]:
        for section in self.sections:
            yield from section.fields

    def all_tables(self) -> Iterator[TableDef]:
        for section in self.sections:
            yield from section.tables

    def field(self, key: str) -> FieldDef:
        for f in self.all_fields():
            if f.key == key:
                return f
        raise KeyError(key)

    def table(self, key: str) -> TableDef:
        for t in self.all_tables():
            if t.key == key:
                return t
        raise KeyError(key)


def get_path(document: Mapping[str, Any], path: str) -> Any:
    """``get_path(doc, "host.cto.name")``; None where any step is missing."""
    node: Any = document
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def set_path(document: dict[str, Any], path: str, value: Any) -> None:
    """``set_path(doc, "host.cto.name", "张三")``, creating objects on the way (a ``None`` becomes ``{}``)."""
    parts = path.split(".")
    node = document
    for part in parts[:-1]:
        nxt = node.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            node[part] = nxt
        node = nxt
    node[parts[-1]] = value


def _field(raw: Mapping[str, Any], where: str) -> FieldDef:
    for key in ("key", "label", "type"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise FormDefinitionError(f"{where}: 缺少“{key}”")
    kind = raw["type"]
    if kind not in FIELD_TYPES:
        raise FormDefinitionError(f"{where}: 未知的字段类型“{kind}”")
    choices = tuple((str(c[0]), str(c[1])) for c in raw.get("choices", ()))
    if kind == "enum" and not choices:
        raise FormDefinitionError(f"{where}: 枚举字段“{raw['key']}”没有可选值")
    if kind == "multi_enum" and not raw.get("choices_from") and not choices:
        raise FormDefinitionError(f"{where}: 多选字段“{raw['key']}”没有可选值来源")
    known = {
        "key",
        "label",
        "type",
        "required",
        "required_if",
        "help",
        "example",
        "max_length",
        "choices",
        "choices_from",
    }
    unknown = set(raw) - known
    if unknown:
        raise FormDefinitionError(f"{where}: 未知的键 {sorted(unknown)}")
    return FieldDef(
        key=raw["key"],
        label=raw["label"],
        type=kind,
        required=bool(raw.get("required", False)),
        required_if=raw.get("required_if"),
        help=str(raw.get("help", "")),
        example=str(raw.get("example", "")),
        max_length=raw.get("max_length"),
        choices=choices,
        choices_from=raw.get("choices_from"),
    )


def parse_form(data: Mapping[str, Any]) -> FormDef:
    if data.get("format") != "lzcenter.form/1":
        raise FormDefinitionError("format: 应为 lzcenter.form/1")
    sections: list[SectionDef] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("sections", [])):
        where = f"sections[{i}]"
        fields = tuple(_field(f, f"{where}.fields[{j}]") for j, f in enumerate(raw.get("fields", [])))
        tables: list[TableDef] = []
        for j, t in enumerate(raw.get("tables", [])):
            columns = tuple(
                _field(c, f"{where}.tables[{j}].columns[{k}]") for k, c in enumerate(t["columns"])
            )
            tables.append(
                TableDef(key=t["key"], label=t["label"], columns=columns, min_rows=int(t.get("min_rows", 0)))
            )
        for key in [f.key for f in fields] + [t.key for t in tables]:
            if key in seen:
                raise FormDefinitionError(f"{where}: 键“{key}”重复")
            seen.add(key)
        sections.append(
            SectionDef(
                id=raw["id"],
                title=raw["title"],
                help=str(raw.get("help", "")),
                fields=fields,
                tables=tuple(tables),
            )
        )
    return FormDef(
        kind=str(data["kind"]),
        call_year=int(data["call_year"]),
        title=str(data["title"]),
        interchange_format=str(data["interchange_format"]),
        sections=tuple(sections),
    )


def load_form_text(text: str) -> FormDef:
    try:
        return parse_form(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise FormDefinitionError(f"表单定义不是有效的 TOML：{exc}") from exc
    except (KeyError, TypeError) as exc:
        raise FormDefinitionError(f"表单定义缺少必需的项：{exc}") from exc


def pick_year(available: Mapping[int, object], call_year: int) -> int:
    """The form of ``call_year``, else the newest earlier one (forms carry over until changed)."""
    candidates = [y for y in available if y <= call_year]
    if not candidates:
        raise FormDefinitionError(f"没有 {call_year} 年度或更早年度的表单定义")
    return max(candidates)
