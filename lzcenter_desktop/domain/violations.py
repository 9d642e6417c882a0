"""The value every rule returns: one violation of one rule of the catalog."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        """Chinese label: 错误 / 警告."""
        return "错误" if self is Severity.ERROR else "警告"


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule.

    ``path`` is the JSON path of the field it belongs to (``staff``, ``host.credit_code``,
    ``expert_committee_terms[1].chair``); ``actual`` and ``required`` are short texts such as
    ``7/10`` and ``≥ 80%``.
    """

    rule: str
    article: str
    severity: Severity
    path: str
    message: str
    actual: str
    required: str

    def to_json(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "article": self.article,
            "severity": str(self.severity),
            "path": self.path,
            "message": self.message,
            "actual": self.actual,
            "required": self.required,
        }

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def has_errors(violations: Iterable[Violation]) -> bool:
    """Whether at least one violation is error-level (blocks the step)."""
    return any(v.severity is Severity.ERROR for v in violations)
