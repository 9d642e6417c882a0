"""ui/style.py: one wording and one colour per level (错误 red, 警告 amber, 提醒 neutral) and one
rendering of a violation."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor

from lzcenter_desktop.domain.catalog import RULES
from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.ui import style


def violation(severity: Severity = Severity.ERROR, actual: str = "7人", required: str = "≥ 8人") -> Violation:
    return Violation("D9.3a", "第九条（三）", severity, "staff", "固定研究开发人员少于8人", actual, required)


@pytest.mark.parametrize(
    ("severity", "label", "colour"),
    [
        (Severity.ERROR, "错误", style.ERROR_COLOR),
        (Severity.WARNING, "警告", style.WARNING_COLOR),
        ("error", "错误", style.ERROR_COLOR),
        ("warning", "警告", style.WARNING_COLOR),
        ("info", "提醒", style.INFO_COLOR),
        ("error/warning", "错误", style.ERROR_COLOR),  # may block: shown as the worse
    ],
)
def test_each_level_has_one_word_and_one_colour(severity: Severity | str, label: str, colour: str) -> None:
    assert style.level_label(severity) == label
    assert style.level_color(severity) == QColor(colour)
    assert style.text_style(severity) == f"color: {colour};"


def test_the_three_colours_differ_and_a_warning_is_not_called_a_reminder() -> None:
    assert len({style.ERROR_COLOR, style.WARNING_COLOR, style.INFO_COLOR}) == 3
    assert style.LEVEL_LABELS == {"error": "错误", "warning": "警告", "info": "提醒"}
    assert Severity.WARNING.label == style.level_label(Severity.WARNING)  # the domain agrees


def test_every_catalog_severity_has_a_chinese_label() -> None:
    for rule in RULES:
        label = style.catalog_severity_label(rule.severity)
        assert not re.search(r"[A-Za-z]", label), (rule.id, label)


def test_a_violation_is_written_one_way() -> None:
    assert style.violation_text(violation()) == (
        "错误 D9.3a 第九条（三）：固定研究开发人员少于8人（实际：7人；要求：≥ 8人）"
    )
    assert style.violation_text(violation(Severity.WARNING)).startswith("警告 D9.3a ")


@pytest.mark.parametrize(
    ("actual", "required", "numbers"),
    [("", "", ""), ("7人", "", "（实际：7人）"), ("", "≥ 8人", "（要求：≥ 8人）")],
)
def test_the_numbers_leave_out_what_the_rule_does_not_give(actual: str, required: str, numbers: str) -> None:
    assert style.violation_numbers(violation(actual=actual, required=required)) == numbers


def test_a_group_takes_the_level_of_its_worst_violation() -> None:
    assert style.violations_level([]) == style.INFO
    assert style.violations_level([violation(Severity.WARNING)]) == style.WARNING
    assert style.violations_level([violation(Severity.WARNING), violation()]) == style.ERROR


def test_counts_and_borders_use_the_same_words_and_colours() -> None:
    assert style.counts_text(2, 1) == "错误 2 项，警告 1 项"
    assert style.border_style("QLineEdit", Severity.WARNING) == (
        f"QLineEdit {{ border: 1px solid {style.WARNING_BORDER}; }}"
    )
