"""Helpers for the offline review package tests (评审包 / 评分回执): export a package, fill in a
return file as the laptop does, forge one signed with the session's key, read stored rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from sqlmodel import col, select

from lzcenter_desktop.domain import review_package as fmt
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.review import package, package_files
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import (
    AuditEntry,
    ReviewAssignment,
    ReviewScore,
    ReviewScoreSubmission,
    ReviewSession,
)

BEIJING = dt.timezone(dt.timedelta(hours=8))

# forms/review-2026.toml: 研发条件 20, 研发队伍 20, 研发成果 20, 产学研合作 15, 运行管理 10, 发展规划 15
FULL = {
    "rd_conditions": "18",
    "rd_team": "17.5",
    "rd_achievements": "16",
    "cooperation": "12",
    "management": "8",
    "development_plan": "13.25",
}  # 84.75
OTHER = dict(FULL, rd_team="15")  # 82.25


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


def export(ctx: AppContext, session_id: int, folder: Path, expert_id: int | None = None) -> Path:
    name = "session.lzreview" if expert_id is None else f"expert-{expert_id}.lzreview"
    return package.export_package(ctx, session_id=session_id, expert_id=expert_id, path=folder / name).path


def fill_return(
    package_path: Path,
    expert_id: int,
    out: Path,
    *,
    points: Mapping[int, Mapping[str, str]] | None = None,
    default: Mapping[str, str] = FULL,
    saved_at: dt.datetime | None = None,
) -> Path:
    """The return file the laptop saves: ``points`` by declaration id (``default`` for the rest)."""
    opened = package_files.read_package_file(package_path)
    entries = {
        a.assignment_id: (dict((points or {}).get(a.declaration_id, default)), "")
        for a in opened.package.assignments_of(expert_id)
    }
    package_files.save_return_file(opened, expert_id, entries, out, now=saved_at)
    return out


def session_key(ctx: AppContext, session_id: int) -> str:
    with reading(ctx) as s:
        row = s.get(ReviewSession, session_id)
        assert row is not None and row.package_key
        return row.package_key


def forge_return(ctx: AppContext, ret: fmt.ReturnFile, out: Path) -> Path:
    """A return file signed properly with the session's key (as a genuine one would be)."""
    key = fmt.return_key(session_key(ctx, ret.session_id), ret.session_id, ret.expert_id)
    out.write_bytes(fmt.return_bytes(ret, key=key))
    return out


def set_session(ctx: AppContext, session_id: int, **values: object) -> None:
    """Change a review session's columns directly (test set-up of states no service makes)."""
    with unit_of_work(ctx, "test.set_session") as s:
        row = s.get(ReviewSession, session_id)
        assert row is not None
        for k, v in values.items():
            setattr(row, k, v)
        s.add(row)


def assignment(ctx: AppContext, assignment_id: int) -> ReviewAssignment:
    with reading(ctx) as s:
        row = s.get(ReviewAssignment, assignment_id)
        assert row is not None
        return row


def assignments_of(ctx: AppContext, session_id: int, expert_id: int) -> list[ReviewAssignment]:
    with reading(ctx) as s:
        return list(
            s.execute(
                select(ReviewAssignment)
                .where(
                    col(ReviewAssignment.session_id) == session_id,
                    col(ReviewAssignment.expert_id) == expert_id,
                    col(ReviewAssignment.status) != "recused",
                )
                .order_by(col(ReviewAssignment.declaration_id))
            ).scalars()
        )


def score_of(ctx: AppContext, assignment_id: int) -> ReviewScore | None:
    with reading(ctx) as s:
        return s.execute(
            select(ReviewScore).where(
                col(ReviewScore.assignment_id) == assignment_id, col(ReviewScore.kind) == "expert_review"
            )
        ).scalar_one_or_none()


def submissions(ctx: AppContext, session_id: int) -> list[ReviewScoreSubmission]:
    with reading(ctx) as s:
        return list(
            s.execute(
                select(ReviewScoreSubmission)
                .where(col(ReviewScoreSubmission.session_id) == session_id)
                .order_by(col(ReviewScoreSubmission.id))
            ).scalars()
        )


def audit_count(ctx: AppContext, action: str) -> int:
    with reading(ctx) as s:
        return len(list(s.execute(select(AuditEntry).where(col(AuditEntry.action) == action)).scalars()))
