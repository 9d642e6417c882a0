"""One rendering and one set of colours for a violation (issue 11 item 5): the declaration wizard's
field flags and the committee editors write a violation as ui/style.py does — level word, rule ID,
article, message and numbers — in the level's colour; a warning reads 警告, never 提醒."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QColor

from lzcenter_desktop.domain.formdef import FieldDef
from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.committees import common
from lzcenter_desktop.ui.declarations.editors import FieldEditor, violation_text

ERROR = Violation("M14b", "第十四条", Severity.ERROR, "p", "主任委员不得兼任", "是", "否")
WARNING = Violation("M14d", "第十四条", Severity.WARNING, "p", "请复核委员身份", "", "")
D9_3A = Violation("D9.3a", "第九条（三）", Severity.ERROR, "staff", "固定研究开发人员 7 人", "7人", "≥ 8人")
DUP = Violation(
    d.DUPLICATE_RULE, "第十条（一）", Severity.WARNING, "host.credit_code", "重复", "2份", "每年度1份"
)


@pytest.mark.parametrize("v", [D9_3A, ERROR, WARNING])
def test_the_wizard_writes_a_catalog_rule_as_every_page_does(v: Violation) -> None:
    assert violation_text(v) == style.violation_text(v)


def test_the_wizards_own_rules_keep_their_chinese_names() -> None:
    assert violation_text(DUP) == "警告 重复申报 第十条（一）：重复（实际：2份；要求：每年度1份）"
    assert "DUP" not in violation_text(DUP)


@pytest.mark.parametrize(
    ("violations", "colour", "border"),
    [
        ([DUP], style.WARNING_COLOR, style.WARNING_BORDER),
        ([D9_3A], style.ERROR_COLOR, style.ERROR_BORDER),
        ([DUP, D9_3A], style.ERROR_COLOR, style.ERROR_BORDER),  # the worst of them
    ],
)
def test_a_field_flag_takes_the_colour_of_its_level(
    qtbot: Any, violations: list[Violation], colour: str, border: str
) -> None:
    editor = FieldEditor(FieldDef(key="host.credit_code", label="统一社会信用代码", type="text"))
    qtbot.addWidget(editor)
    editor.show_violations(violations)
    assert editor.flag_text() == "\n".join(violation_text(v) for v in violations)
    assert editor.flag.styleSheet() == f"color: {colour};"
    assert editor.input.styleSheet() == f"QLineEdit {{ border: 1px solid {border}; }}"
    editor.show_violations([])
    assert editor.flag_text() == "" and editor.input.styleSheet() == ""


def test_committee_flags_use_the_same_words_and_colours() -> None:
    assert common.flag_tooltip([ERROR, WARNING]) == (
        "错误 M14b 第十四条：主任委员不得兼任（实际：是；要求：否）\n警告 M14d 第十四条：请复核委员身份"
    )
    assert common.flag_tooltip([]) == ""
    assert common.flag_brush([]) is None
    warning_brush = common.flag_brush([WARNING])
    error_brush = common.flag_brush([WARNING, ERROR])
    assert warning_brush is not None and warning_brush.color() == QColor(style.WARNING_BACKGROUND)
    assert error_brush is not None and error_brush.color() == QColor(style.ERROR_BACKGROUND)
    assert (common.BAD_FG.name(), common.OK_FG.name()) == (style.ERROR_COLOR, style.OK_COLOR)


def test_the_committee_problem_list_writes_each_violation_in_its_colour(qtbot: Any) -> None:
    problems = common.ProblemList()
    qtbot.addWidget(problems)
    problems.set_violations([ERROR, WARNING])
    assert problems.texts() == [style.violation_text(ERROR), style.violation_text(WARNING)]
    assert problems.item(0).foreground().color() == QColor(style.ERROR_COLOR)
    assert problems.item(1).foreground().color() == QColor(style.WARNING_COLOR)
    assert problems.item(0).toolTip() == style.violation_text(ERROR)  # the whole line, numbers included
    problems.set_violations([])
    assert problems.texts() == ["未发现问题"]
    assert problems.item(0).foreground().color() == QColor(style.OK_COLOR)


def test_the_errors_question_writes_each_error_as_every_page_does(qtbot: Any) -> None:
    box = common.errors_box(None, [ERROR])
    assert f"· {style.violation_text(ERROR)}" in box.text()
    box.deleteLater()
