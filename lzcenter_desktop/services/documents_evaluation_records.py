"""How the documents of 第五章 read an evaluation record: its grade (stored as the Chinese grade text
of ``domain.evaluation.Grade``; older rows hold ``excellent`` / ``qualified`` / ``rectify`` /
``fail`` / ``absent``), its total as stored, its outcome's label, dates in Chinese, the article a
recorded reason names, and the re-application date after a revocation (第二十五条)."""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from lzcenter_desktop.domain.evaluation import Grade, Outcome
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.storage.models import Evaluation

__all__ = [
    "GRADE_ORDER",
    "NOT_TAKEN_PART",
    "article_in",
    "cn_day",
    "grade_of",
    "outcome_label",
    "reapply_date",
    "score_text",
    "without_article",
]

#: grade text → its place in a result list (优秀 first)
GRADE_ORDER: Final[dict[str, int]] = {g.value: i for i, g in enumerate(Grade)}
#: what a result list shows for a centre that did not take part or withdrew (第二十四条（五）)
NOT_TAKEN_PART: Final = "视为自动放弃"
_LEGACY_GRADES: Final = {
    "excellent": Grade.EXCELLENT.value,
    "qualified": Grade.QUALIFIED.value,
    "rectify": Grade.RECTIFY.value,
    "fail": Grade.FAILED.value,
    "failed": Grade.FAILED.value,
}
_ARTICLE = re.compile(r"第[一二三四五六七八九十]+条(?:（[一二三四五六七八九十]+）)?")


def cn_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def grade_of(ev: Evaluation) -> str | None:
    """The grade text of an evaluation (优秀/合格/整改/不合格), ``None`` while not graded or when the
    centre did not take part."""
    raw = (ev.grade or "").strip()
    if not raw or raw == "absent" or not ev.participated:
        return None
    return _LEGACY_GRADES.get(raw, raw)


def score_text(ev: Evaluation) -> str:
    """The total as stored: the exact text, else the number recorded, else ``—``."""
    if ev.total_text:
        return ev.total_text
    if ev.total_score is not None:
        text = f"{ev.total_score:.2f}"
        return text.rstrip("0").rstrip(".")
    return "—"


def outcome_label(ev: Evaluation) -> str:
    """保留称号 / 限期整改 / 取消称号 / 视为自动放弃资格 (with 已执行 once applied), ``—`` when none."""
    if not ev.outcome:
        return "—"
    try:
        label = Outcome(ev.outcome).label
    except ValueError:
        label = ev.outcome
    return label + ("（已执行）" if ev.outcome_applied_on else "（拟）")


def article_in(text: str) -> str | None:
    """The last article a text names (``第二十四条（三）``), or ``None``."""
    found = _ARTICLE.findall(text or "")
    return found[-1] if found else None


_TRAILING_ARTICLE = re.compile(
    r"[，,；;]?\s*[（(]?(?:依据|根据|按)?(?:《[^》]*》)?"
    r"第[一二三四五六七八九十]+条(?:（[一二三四五六七八九十]+）)?(?:的?规定)?[）)]?[。；;]?$"
)

_TRAILING_REVOKE = re.compile(r"[，,]\s*(?:予以)?取消(?:工程技术中心|工程技术研究中心)?(?:称号|资格)$")


def without_article(text: str) -> str:
    """``text`` without an article named at its end nor a closing ``，取消……称号``
    (``……为不合格，取消称号（第二十四条（四））`` → ``……为不合格``), for a sentence that names the
    article and the revocation itself."""
    cleaned = _TRAILING_ARTICLE.sub("", text.strip()).strip()
    return _TRAILING_REVOKE.sub("", cleaned).strip()


def reapply_date(ctx: AppContext, revoked_on: date) -> date:
    """The first day a host may apply again after a revocation on ``revoked_on`` (第二十五条): the
    shared ``domain.evaluation.reapply_allowed_from`` with the rule settings of that year."""
    from lzcenter_desktop.domain.evaluation import reapply_allowed_from

    return reapply_allowed_from(revoked_on, rulesets.settings_for_year(ctx, revoked_on.year))
