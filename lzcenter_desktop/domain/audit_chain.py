"""The hash chain of the audit trail (审计链): each entry carries the hash of the one before it.

``entry_hash`` is the SHA-256 (hex) of the entry's canonical JSON — its fields (id, time,
operator, action, operation, entity, entity id, before, after, transaction) and its ``prev_hash``,
keys sorted, UTF-8, no spaces — so changing one byte of an entry changes its hash, and the next
entry's ``prev_hash`` no longer matches. The first entry's ``prev_hash`` is :data:`GENESIS`.

:func:`find_break` walks a trail in id order and names the first entry that was edited, inserted
or deleted (by id and time). Deleting the newest entries, or rewriting the whole trail with fresh
hashes, leaves a consistent chain: that is what the anchor is for — the latest hash, printed on
each backup report and in the about box, must still be found in the chain later.

Pure Python: the storage layer computes the hashes when it writes, services verify.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

GENESIS = "0" * 64  # the prev_hash of the first entry
HASH_LENGTH = 64


@dataclass(frozen=True, slots=True)
class ChainEntry:
    """One audit entry as the chain sees it (its hashes as stored)."""

    id: int
    at: datetime
    operator: str
    action: str
    operation: str
    entity: str
    entity_id: str
    before: str | None
    after: str | None
    txn: str
    prev_hash: str = ""
    entry_hash: str = ""


def canonical_time(at: datetime | str) -> str:
    """``at`` in UTC to the microsecond (``2026-12-02T03:44:29.000000Z``); a naive time (or the
    text SQLite stores) is taken as UTC."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(entry: ChainEntry, prev_hash: str) -> bytes:
    """The bytes that are hashed: the entry's fields and ``prev_hash``, keys sorted, no spaces."""
    fields = {
        "id": entry.id,
        "at": canonical_time(entry.at),
        "operator": entry.operator,
        "action": entry.action,
        "operation": entry.operation,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "before": entry.before,
        "after": entry.after,
        "txn": entry.txn,
        "prev_hash": prev_hash,
    }
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def entry_hash(entry: ChainEntry, prev_hash: str) -> str:
    """The hex SHA-256 of :func:`canonical_json`."""
    return hashlib.sha256(canonical_json(entry, prev_hash)).hexdigest()


def link(entries: Iterable[ChainEntry], prev_hash: str) -> Iterator[tuple[str, str]]:
    """``(prev_hash, entry_hash)`` of each of ``entries`` (in id order) chained after ``prev_hash``."""
    for entry in entries:
        digest = entry_hash(entry, prev_hash)
        yield prev_hash, digest
        prev_hash = digest


class BreakKind(StrEnum):
    EDITED = "edited"  # an entry's content (or its hashes) changed after it was written
    INSERTED = "inserted"  # an entry the chain does not pass through
    DELETED = "deleted"  # entries missing between two entries
    REWRITTEN = "rewritten"  # an entry replaced with a fresh hash: the next one no longer links to it


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first break: the entry named (``entry_id``, ``at``) and, for a deletion, the entry
    before the gap; for a rewritten entry, the entry after it whose link no longer matches."""

    kind: BreakKind
    entry_id: int
    at: datetime | None
    other_id: int | None = None
    other_at: datetime | None = None
    missing: tuple[int, int] | None = None  # ids of the deleted entries (first, last)

    def message(self) -> str:
        """The break in Chinese, naming the entry by number and time."""
        named = f"第 {self.entry_id} 条审计记录（{_local(self.at)}）"
        other = f"第 {self.other_id} 条（{_local(self.other_at)}）" if self.other_id is not None else ""
        if self.kind is BreakKind.EDITED:
            return f"{named}在写入后被修改过：内容与其哈希不符。"
        if self.kind is BreakKind.INSERTED:
            return f"{named}是在程序之外插入的：审计链不经过这一条。"
        if self.kind is BreakKind.DELETED:
            first, last = self.missing or (self.entry_id - 1, self.entry_id - 1)
            ids = f"第 {first} 条" if first == last else f"第 {first}–{last} 条"
            start = other or "审计日志开头"
            return f"{start}与{named}之间的审计记录（{ids}）已被删除。"
        return (
            f"{named}被改写过（连哈希一起重算），或它之后的记录被删除后重新编号："
            f"{other}记录的前一哈希与它不符。"
        )


def _local(at: datetime | None) -> str:
    if at is None:
        return "时间不明"
    if at.tzinfo is None:  # stored as naive UTC
        at = at.replace(tzinfo=UTC)
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """The result of walking a trail: the entries seen, the first break, the latest hash."""

    entries: int
    first_break: ChainBreak | None
    last_id: int | None
    last_at: datetime | None
    last_hash: str  # GENESIS for an empty trail

    @property
    def ok(self) -> bool:
        return self.first_break is None


def find_break(entries: Iterable[ChainEntry]) -> ChainCheck:
    """Walk ``entries`` (in id order) and return the first edited, inserted or deleted entry.

    At a row whose content does not match its hash, or whose ``prev_hash`` is not the hash of the
    row before, the row after decides: if it links to the suspect row's stored hash the suspect
    was *edited*; if it links over the suspect to the row before, the suspect was *inserted*. A
    consistent row that does not link to the one before follows *deleted* rows when ids are
    missing in between."""
    count = 0
    expected = GENESIS
    prev: ChainEntry | None = None
    last: ChainEntry | None = None
    found: ChainBreak | None = None
    window = _pairs(iter(entries))
    for row, nxt in window:
        count += 1
        last = row
        if found is not None:
            continue
        content_ok = entry_hash(row, row.prev_hash) == row.entry_hash
        link_ok = row.prev_hash == expected
        if content_ok and link_ok:
            expected, prev = row.entry_hash, row
            continue
        found = _classify(row, nxt, prev, expected, link_ok=link_ok)
    return ChainCheck(
        entries=count,
        first_break=found,
        last_id=last.id if last is not None else None,
        last_at=last.at if last is not None else None,
        last_hash=last.entry_hash if last is not None else GENESIS,
    )


def _classify(
    row: ChainEntry,
    nxt: ChainEntry | None,
    prev: ChainEntry | None,
    expected: str,
    *,
    link_ok: bool,
) -> ChainBreak:
    """What happened at ``row``, the first row that does not verify (``expected``: the hash of
    ``prev``, the last row that did)."""
    prev_id = prev.id if prev is not None else None
    prev_at = prev.at if prev is not None else None
    if nxt is not None and nxt.prev_hash == expected:  # the chain goes over this row
        return ChainBreak(BreakKind.INSERTED, row.id, row.at, prev_id, prev_at)
    if link_ok:  # linked, but its content no longer matches its hash
        return ChainBreak(BreakKind.EDITED, row.id, row.at, prev_id, prev_at)
    if prev is not None and row.prev_hash == prev.prev_hash:  # this row links over the previous one
        return ChainBreak(BreakKind.INSERTED, prev.id, prev.at, row.id, row.at)
    gap_start = (prev_id or 0) + 1
    if row.id > gap_start:
        return ChainBreak(BreakKind.DELETED, row.id, row.at, prev_id, prev_at, (gap_start, row.id - 1))
    if entry_hash(row, row.prev_hash) != row.entry_hash:
        if nxt is not None and nxt.prev_hash == row.entry_hash:  # the chain goes through it
            return ChainBreak(BreakKind.EDITED, row.id, row.at, prev_id, prev_at)
        return ChainBreak(BreakKind.INSERTED, row.id, row.at, prev_id, prev_at)
    if prev is None:  # the first entry, re-hashed on another start
        return ChainBreak(BreakKind.EDITED, row.id, row.at)
    return ChainBreak(BreakKind.REWRITTEN, prev.id, prev.at, row.id, row.at)


def _pairs(rows: Iterator[ChainEntry]) -> Iterator[tuple[ChainEntry, ChainEntry | None]]:
    """Each row with the row after it (``None`` after the last)."""
    current = next(rows, None)
    while current is not None:
        following = next(rows, None)
        yield current, following
        current = following
