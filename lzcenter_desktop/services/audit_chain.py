"""Verifying the audit chain (``lzcenter-desktop audit verify``) and its anchor.

:func:`verify_chain` walks the whole trail in id order and names the first entry that was edited,
inserted or deleted outside the program (see :mod:`lzcenter_desktop.domain.audit_chain`). The
*anchor* is the newest entry's hash: printed on every backup report and shown in the about box,
so that a later check with ``--anchor`` finds a trail that was cut short or rewritten wholesale
with fresh hashes — the chain alone cannot.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lzcenter_desktop.domain.audit_chain import HASH_LENGTH, ChainBreak, find_break
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.audit_chain import has_hash, iter_entries, latest_entry


@dataclass(frozen=True, slots=True)
class AuditAnchor:
    """The newest entry of the trail: its number, time and hash."""

    entry_id: int
    at: datetime
    entry_hash: str

    def text(self) -> str:
        """One line for a report: ``审计链锚点：第 N 条（时间），哈希 …``."""
        local = self.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        return f"审计链锚点：第 {self.entry_id} 条（{local}），哈希 {self.entry_hash}"


EMPTY_TRAIL_LINE = "审计链锚点：审计日志还没有记录。"


def anchor_line(anchor: AuditAnchor | None) -> str:
    """The anchor's line for a backup report or the about box (also for an empty trail)."""
    return anchor.text() if anchor is not None else EMPTY_TRAIL_LINE


@dataclass(frozen=True, slots=True)
class ChainVerification:
    entries: int
    first_break: ChainBreak | None
    anchor: AuditAnchor | None  # the newest entry as found now
    anchor_missing: str | None = None  # an anchor given to check that is not in the trail

    @property
    def ok(self) -> bool:
        return self.first_break is None and self.anchor_missing is None

    def messages(self) -> list[str]:
        """What is wrong, in Chinese; empty when the trail verifies."""
        found: list[str] = []
        if self.first_break is not None:
            found.append(self.first_break.message())
        if self.anchor_missing is not None:
            found.append(
                f"锚点哈希 {self.anchor_missing} 不在审计日志中：记下锚点之后，审计日志被截短或整体改写过。"
            )
        return found


def _normalised_anchor(anchor: str) -> str:
    value = anchor.strip().lower()
    if len(value) != HASH_LENGTH or any(c not in "0123456789abcdef" for c in value):
        raise ServiceError(
            f"锚点“{anchor}”不是审计链哈希：应为 64 位十六进制数字（见备份报告或“关于”窗口中的锚点）。",
            field="锚点",
        )
    return value


def verify_chain(ctx: AppContext, *, anchor: str | None = None) -> ChainVerification:
    """Walk the whole audit trail; with ``anchor`` (a hash noted earlier) also check it is still there."""
    wanted = _normalised_anchor(anchor) if anchor is not None else None
    with reading(ctx) as session:
        conn = session.connection()
        check = find_break(iter_entries(conn))
        missing = wanted if wanted is not None and not has_hash(conn, wanted) else None
    latest = None
    if check.last_id is not None and check.last_at is not None:
        latest = AuditAnchor(check.last_id, _aware(check.last_at), check.last_hash)
    return ChainVerification(check.entries, check.first_break, latest, missing)


def latest_anchor(ctx: AppContext) -> AuditAnchor | None:
    """The newest entry's number, time and hash; ``None`` for an empty trail."""
    with reading(ctx) as session:
        entry = latest_entry(session.connection())
    if entry is None:
        return None
    return AuditAnchor(entry.id, _aware(entry.at), entry.entry_hash)


def anchor_of_file(path: Path) -> AuditAnchor | None:
    """The anchor stored in a SQLite file (a backup just written), read with a plain read-only
    connection; ``None`` when the file has no chained entry."""
    con = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT id, at, entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    finally:
        con.close()
    if row is None or not row[2]:
        return None
    return AuditAnchor(int(row[0]), _aware(datetime.fromisoformat(str(row[1]))), str(row[2]))


def _aware(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at
