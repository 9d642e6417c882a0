"""Pure-Python domain layer: value types, the rule catalog and the rules of the Measures.

No Qt, no database, nothing else of the project is imported here.
"""

from __future__ import annotations

from .committees import check_committees
from .eligibility import check_declaration
from .interchange import FormatError, parse_committees, parse_declaration, parse_document
from .settings import DEFAULT_SETTINGS, RuleSettings, SettingsError
from .violations import Severity, Violation, has_errors

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
