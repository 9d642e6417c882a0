"""One place for the GUI's colours and for how a violation of a rule is shown.

Three levels, the same words and colours on every page:

========  =================================================  ==========
level     meaning                                            colour
========  =================================================  ==========
错误      blocks the step (submission, recognition, filing)  red
警告      does not block; the clerk checks and confirms it   amber
提醒      information only (a hint, a note)                  neutral grey
========  =================================================  ==========

A violation is written one way everywhere (:func:`violation_text`)::

    错误 D9.3a 第九条（三）：固定研究开发人员 7 人，少于 8 人（实际：7人；要求：≥ 8人）

Widgets take a colour from here as a :class:`QColor` (``ForegroundRole`` of a model, a brush) or
as a style sheet (:func:`text_style`, :func:`border_style`); no page spells out a colour itself.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtGui import QColor

from lzcenter_desktop.domain.violations import Severity, Violation

# -- the three levels ----------------------------------------------------------------------------
ERROR: Final = "error"
WARNING: Final = "warning"
INFO: Final = "info"

LEVEL_LABELS: Final[dict[str, str]] = {ERROR: "错误", WARNING: "警告", INFO: "提醒"}

# Text colours (readable on white), borders and cell backgrounds of each level.
ERROR_COLOR: Final = "#b00020"
WARNING_COLOR: Final = "#8a5a00"
INFO_COLOR: Final = "#5f6368"
ERROR_BORDER: Final = "#b00020"
WARNING_BORDER: Final = "#c08000"
ERROR_BACKGROUND: Final = "#f8d7da"
WARNING_BACKGROUND: Final = "#fff3cd"
ERROR_INPUT_BACKGROUND: Final = "#fdecea"  # an input holding what cannot be accepted (a typed date)

# Other states.
OK_COLOR: Final = "#2e7d32"  # saved, checked, nothing found
BUSY_COLOR: Final = INFO_COLOR  # "正在保存…": neither good nor bad news yet
NOTE_COLOR: Final = "#666666"  # the small grey line under a caption
UNAVAILABLE_COLOR: Final = "#8b1a1a"  # a row that cannot be chosen (a damaged backup)

_TEXT = {ERROR: ERROR_COLOR, WARNING: WARNING_COLOR, INFO: INFO_COLOR}
_BORDER = {ERROR: ERROR_BORDER, WARNING: WARNING_BORDER, INFO: INFO_COLOR}

# The severities of the rule catalog (domain.catalog.RuleInfo.severity) as the 规则 page names them.
CATALOG_SEVERITY_LABELS: Final[dict[str, str]] = {
    "error": "错误（阻断）",
    "warning": "警告（不阻断）",
    "error/warning": "错误或警告",
    "info": "提醒（不阻断）",
}


def level_of(severity: Severity | str) -> str:
    """The level (:data:`ERROR`, :data:`WARNING`, :data:`INFO`) of a violation's or a catalog
    rule's severity; a rule that can be either ("error/warning") counts as an error."""
    value = str(severity)
    if value.startswith(ERROR):
        return ERROR
    if value == WARNING:
        return WARNING
    return INFO


def level_label(severity: Severity | str) -> str:
    """错误 / 警告 / 提醒."""
    return LEVEL_LABELS[level_of(severity)]


def catalog_severity_label(severity: str) -> str:
    """How the 规则 page writes a catalog rule's severity (``错误（阻断）`` …)."""
    return CATALOG_SEVERITY_LABELS.get(severity, level_label(severity))


def level_color(severity: Severity | str) -> QColor:
    """The text colour of a level, for a model's ``ForegroundRole`` or a brush."""
    return QColor(_TEXT[level_of(severity)])


def text_style(severity: Severity | str) -> str:
    """A label's style sheet in the colour of the level."""
    return f"color: {_TEXT[level_of(severity)]};"


def border_style(widget_class: str, severity: Severity | str) -> str:
    """A style sheet that outlines an input (``QLineEdit`` …) in the colour of the level."""
    return f"{widget_class} {{ border: 1px solid {_BORDER[level_of(severity)]}; }}"


ERROR_STYLE: Final = text_style(ERROR)
WARNING_STYLE: Final = text_style(WARNING)
INFO_STYLE: Final = text_style(INFO)
OK_STYLE: Final = f"color: {OK_COLOR};"
NOTE_STYLE: Final = f"color: {NOTE_COLOR};"


def violations_level(violations: list[Violation]) -> str:
    """The level of a group of violations: the worst of them (:data:`INFO` for none)."""
    if any(v.is_error for v in violations):
        return ERROR
    return WARNING if violations else INFO


def violation_numbers(v: Violation) -> str:
    """``（实际：7人；要求：≥ 8人）``, or "" when the rule gives neither."""
    if not (v.actual or v.required):
        return ""
    parts = [f"实际：{v.actual}" if v.actual else "", f"要求：{v.required}" if v.required else ""]
    return "（" + "；".join(p for p in parts if p) + "）"


def violation_text(v: Violation) -> str:
    """``错误 D9.3a 第九条（三）：固定研究开发人员 7 人，少于 8 人（实际：7人；要求：≥ 8人）``."""
    return f"{level_label(v.severity)} {v.rule} {v.article}：{v.message}{violation_numbers(v)}"


def counts_text(errors: int, warnings: int) -> str:
    """``错误 2 项，警告 1 项`` — the same words wherever violations are counted."""
    return f"{LEVEL_LABELS[ERROR]} {errors} 项，{LEVEL_LABELS[WARNING]} {warnings} 项"
