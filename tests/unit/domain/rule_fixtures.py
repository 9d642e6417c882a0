"""Test helpers: start from the public example JSON and change one field at a time."""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from lzcenter_desktop.domain.committees import check_committees
from lzcenter_desktop.domain.eligibility import check_declaration
from lzcenter_desktop.domain.interchange import parse_committees, parse_declaration
from lzcenter_desktop.domain.model import Committees, Declaration
from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS, RuleSettings
from lzcenter_desktop.domain.violations import Violation

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
COMMITTEES_AS_OF = date(2026, 11, 26)
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@cache
def _load(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def declaration_json() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_load("declaration-enterprise.json"))
    return data


def committees_json() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_load("committees.json"))
    return data


def set_path(doc: Any, path: str, value: Any) -> Any:
    """Set ``doc[path] = value`` for a JSON path like ``staff[3].degree``; returns ``doc``."""
    steps: list[str | int] = [int(i) if i else k for k, i in _STEP.findall(path)]
    target = doc
    for step in steps[:-1]:
        target = target[step]
    last = steps[-1]
    if value is _DELETE:
        del target[last]
    else:
        target[last] = value
    return doc


_DELETE = object()
DELETE: Any = _DELETE


def declaration(changes: dict[str, Any] | None = None) -> Declaration:
    doc = declaration_json()
    for path, value in (changes or {}).items():
        set_path(doc, path, value)
    return parse_declaration(doc)


def committees(changes: dict[str, Any] | None = None) -> Committees:
    doc = committees_json()
    for path, value in (changes or {}).items():
        set_path(doc, path, value)
    return parse_committees(doc)


def check_decl(
    changes: dict[str, Any] | None = None,
    settings: RuleSettings = DEFAULT_SETTINGS,
    **kwargs: Any,
) -> list[Violation]:
    return check_declaration(declaration(changes), settings, **kwargs)


def check_comm(
    changes: dict[str, Any] | None = None,
    settings: RuleSettings = DEFAULT_SETTINGS,
    as_of: date = COMMITTEES_AS_OF,
) -> list[Violation]:
    return check_committees(committees(changes), settings, as_of=as_of)


def rules(violations: list[Violation]) -> list[str]:
    return [v.rule for v in violations]


def only(violations: list[Violation], rule: str) -> list[Violation]:
    return [v for v in violations if v.rule == rule]


def staff_member(
    name: str, degree: str = "本科", title: str = "中级", leader: bool = False
) -> dict[str, Any]:
    return {"name": name, "birth_date": "1980-01-01", "degree": degree, "title": title, "tech_leader": leader}


def staff_list(n: int, *, bachelors: int, titled: int) -> list[dict[str, Any]]:
    """``n`` staff of whom ``bachelors`` have 本科 or higher and ``titled`` have 中级 or higher."""
    return [
        staff_member(
            f"人员{i:02d}",
            degree="本科" if i < bachelors else "大专",
            title="中级" if i < titled else "初级",
            leader=i == 0,
        )
        for i in range(n)
    ]
