"""What the 绩效评估 tabs say about a row: a centre's experts (fewer than 3, exactly 3, all scored or
not), the experts' mean cut to two decimals (89.995 is shown 89.99: not 优秀), and the sentence each
consequence's confirmation names, with its article."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from lzcenter_desktop.ui.evaluation.consequence_dialogs import consequence_sentence
from lzcenter_desktop.ui.evaluation.experts_tab import CentreRow, cut


@pytest.mark.parametrize(
    ("active", "scored", "state"),
    [
        (0, 0, "未分配专家"),
        (2, 2, "专家不足 3 人"),  # just below the minimum, all scored: still no expert score
        (3, 2, "待评分 1 人"),
        (3, 3, "评分齐全"),  # exactly at the minimum
        (4, 4, "评分齐全"),
        (4, 3, "待评分 1 人"),
    ],
)
def test_the_experts_state_of_a_centre(active: int, scored: int, state: str) -> None:
    assert CentreRow(SimpleNamespace(), active, scored).state == state


@pytest.mark.parametrize(
    ("value", "shown"), [("89.995", "89.99"), ("90", "90.00"), ("89.999999", "89.99"), ("60.004", "60.00")]
)
def test_the_mean_is_cut_not_rounded(value: str, shown: str) -> None:
    assert cut(Decimal(value)) == shown


def view(outcome: str, grade: str | None, article: str) -> SimpleNamespace:
    return SimpleNamespace(outcome=outcome, grade=grade, article=article, outcome_label="")


def test_each_consequence_is_named_with_its_article() -> None:
    assert consequence_sentence(view("keep", "优秀", "第二十四条（一）")) == (
        "将保留称号，并列入优先支持名单（第二十四条（一））；中心状态不变"
    )
    assert (
        consequence_sentence(view("keep", "合格", "第二十四条（二）"))
        == "将继续保留称号（第二十四条（二））；中心状态不变"
    )
    assert "进入“整改中”，给予一年整改期限" in consequence_sentence(
        view("rectify", "整改", "第二十四条（三）")
    )
    assert consequence_sentence(view("revoke", "不合格", "第二十四条（四）")).startswith(
        "评估结果为不合格，将取消称号（第二十四条（四））"
    )
    assert consequence_sentence(view("revoke", "整改", "第二十四条（四）")).startswith(
        "连续二次评估结果为整改，将取消称号（第二十四条（四））"
    )
    assert "视为自动放弃工程技术中心资格（第二十四条（五））" in consequence_sentence(
        view("forfeit", None, "第二十四条（五）")
    )
