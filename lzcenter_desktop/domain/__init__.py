"""Pure-Python domain layer: value types, the rule catalog and the rules of the Measures.

No Qt, no database, nothing else of the project is imported here.

The names below are loaded on first use (PEP 562), so that importing one module of the package
(``domain.lifecycle`` for the 中心 list at start-up) does not load the whole rule engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .committees import check_committees
    from .eligibility import check_declaration
    from .interchange import FormatError, parse_committees, parse_declaration, parse_document
    from .settings import DEFAULT_SETTINGS, RuleSettings, SettingsError
    from .violations import Severity, Violation, has_errors

_WHERE: dict[str, str] = {
    "DEFAULT_SETTINGS": "settings",
    "FormatError": "interchange",
    "RuleSettings": "settings",
    "SettingsError": "settings",
    "Severity": "violations",
    "Violation": "violations",
    "check_committees": "committees",
    "check_declaration": "eligibility",
    "has_errors": "violations",
    "parse_committees": "interchange",
    "parse_declaration": "interchange",
    "parse_document": "interchange",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_SETTINGS",
    "FormatError",
    "RuleSettings",
    "SettingsError",
    "Severity",
    "Violation",
    "check_committees",
    "check_declaration",
    "has_errors",
    "parse_committees",
    "parse_declaration",
    "parse_document",
]
