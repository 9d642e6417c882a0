"""The audit hash chain: canonical JSON, the hash, and naming the first broken entry."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

from lzcenter_desktop.domain.audit_chain import (
    GENESIS,
    BreakKind,
    ChainEntry,
    canonical_json,
    canonical_time,
    entry_hash,
    find_break,
    link,
)

T0 = datetime(2026, 12, 2, 3, 0, 0, 123456, tzinfo=UTC)


def _entry(n: int, **changes: object) -> ChainEntry:
    base = ChainEntry(
        id=n,
        at=T0 + timedelta(seconds=n),
        operator="王经办",
        action="centers.change_state",
        operation="update",
        entity="center",
        entity_id=str(n),
        before='{"state": "submitted"}',
        after='{"state": "recognised"}',
        txn=f"{n:032x}",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _chain(count: int) -> list[ChainEntry]:
    entries = [_entry(n) for n in range(1, count + 1)]
    return [
        dataclasses.replace(e, prev_hash=p, entry_hash=h)
        for e, (p, h) in zip(entries, link(entries, GENESIS), strict=True)
    ]


def _rehash(entry: ChainEntry) -> ChainEntry:
    return dataclasses.replace(entry, entry_hash=entry_hash(entry, entry.prev_hash))


# -- canonical JSON and the hash ------------------------------------------------------------------


def test_canonical_json_sorts_keys_has_no_spaces_and_keeps_chinese_as_utf8() -> None:
    raw = canonical_json(_entry(7, before=None, after='{"a": 1}'), "ab")
    text = raw.decode("utf-8")
    assert "王经办".encode() in raw  # UTF-8, not \\u escapes
    assert text == (
        '{"action":"centers.change_state","after":"{\\"a\\": 1}","at":"2026-12-02T03:00:07.123456Z",'
        '"before":null,"entity":"center","entity_id":"7","id":7,"operation":"update",'
        '"operator":"王经办","prev_hash":"ab","txn":"00000000000000000000000000000007"}'
    )
    raw = canonical_json(_entry(7), GENESIS)
    text = raw.decode("utf-8")
    keys = list(json.loads(text))
    assert keys == sorted(keys)
    assert set(keys) == {
        "id",
        "at",
        "operator",
        "action",
        "operation",
        "entity",
        "entity_id",
        "before",
        "after",
        "txn",
        "prev_hash",
    }
    assert json.loads(text)["at"] == "2026-12-02T03:00:07.123456Z"


def test_the_hash_is_sha256_of_the_canonical_json() -> None:
    entry = _entry(3)
    assert entry_hash(entry, GENESIS) == hashlib.sha256(canonical_json(entry, GENESIS)).hexdigest()
    assert len(entry_hash(entry, GENESIS)) == 64


def test_the_hash_does_not_depend_on_the_order_fields_were_given() -> None:
    entry = _entry(3)
    same = ChainEntry(
        txn=entry.txn,
        after=entry.after,
        before=entry.before,
        entity_id=entry.entity_id,
        entity=entry.entity,
        operation=entry.operation,
        action=entry.action,
        operator=entry.operator,
        at=entry.at,
        id=entry.id,
    )
    assert entry_hash(same, GENESIS) == entry_hash(entry, GENESIS)


def test_one_changed_byte_in_any_field_changes_the_hash() -> None:
    entry = _entry(3)
    original = entry_hash(entry, GENESIS)
    changed = [
        dataclasses.replace(entry, id=4),
        dataclasses.replace(entry, at=entry.at + timedelta(microseconds=1)),
        dataclasses.replace(entry, operator="王经力"),
        dataclasses.replace(entry, action="centers.change_statf"),
        dataclasses.replace(entry, operation="insert"),
        dataclasses.replace(entry, entity="centeR"),
        dataclasses.replace(entry, entity_id="4"),
        dataclasses.replace(entry, before='{"state": "submitted "}'),
        dataclasses.replace(entry, after=None),
        dataclasses.replace(entry, txn=entry.txn[:-1] + "1"),
    ]
    hashes = {entry_hash(e, GENESIS) for e in changed}
    assert original not in hashes and len(hashes) == len(changed)
    assert entry_hash(entry, GENESIS[:-1] + "1") != original  # the previous hash counts too


def test_the_time_is_the_same_instant_however_it_is_written() -> None:
    aware = datetime(2026, 12, 2, 11, 0, 0, 5, tzinfo=timezone(timedelta(hours=8)))
    assert canonical_time(aware) == "2026-12-02T03:00:00.000005Z"
    assert canonical_time(datetime(2026, 12, 2, 3, 0, 0, 5)) == "2026-12-02T03:00:00.000005Z"  # naive = UTC
    assert canonical_time("2026-12-02 03:00:00.000005") == "2026-12-02T03:00:00.000005Z"  # SQLite's text


def test_link_chains_from_the_genesis() -> None:
    chain = _chain(3)
    assert chain[0].prev_hash == GENESIS
    assert chain[1].prev_hash == chain[0].entry_hash
    assert chain[2].prev_hash == chain[1].entry_hash


# -- finding the first break ----------------------------------------------------------------------


def test_an_untouched_chain_verifies() -> None:
    chain = _chain(5)
    check = find_break(chain)
    assert check.ok and check.entries == 5
    assert (check.last_id, check.last_hash) == (5, chain[-1].entry_hash)


def test_an_empty_trail_verifies_with_the_genesis_as_its_hash() -> None:
    check = find_break([])
    assert check.ok and check.entries == 0 and check.last_hash == GENESIS


def test_an_edited_entry_is_named() -> None:
    for n in (1, 3, 5):  # first, middle, last
        chain = _chain(5)
        chain[n - 1] = dataclasses.replace(chain[n - 1], operator="张局长（伪）")
        broken = find_break(chain).first_break
        assert broken is not None and (broken.kind, broken.entry_id) == (BreakKind.EDITED, n)
        assert f"第 {n} 条审计记录" in broken.message() and "被修改" in broken.message()


def test_an_edited_entry_with_a_recomputed_hash_is_named_by_the_next_link() -> None:
    chain = _chain(5)
    chain[2] = _rehash(dataclasses.replace(chain[2], after='{"state": "revoked"}'))
    broken = find_break(chain).first_break
    assert broken is not None
    assert (broken.kind, broken.entry_id, broken.other_id) == (BreakKind.REWRITTEN, 3, 4)
    assert "第 3 条审计记录" in broken.message() and "第 4 条" in broken.message()


def test_deleted_entries_are_named_by_their_ids_and_neighbours() -> None:
    chain = _chain(6)
    del chain[2:4]  # ids 3 and 4
    broken = find_break(chain).first_break
    assert broken is not None
    assert (broken.kind, broken.entry_id, broken.other_id, broken.missing) == (
        BreakKind.DELETED,
        5,
        2,
        (3, 4),
    )
    assert "第 3–4 条" in broken.message() and "已被删除" in broken.message()


def test_deleting_the_first_entry_is_found() -> None:
    chain = _chain(3)[1:]
    broken = find_break(chain).first_break
    assert broken is not None and (broken.kind, broken.missing) == (BreakKind.DELETED, (1, 1))
    assert "审计日志开头" in broken.message()


def test_an_entry_inserted_between_two_is_named() -> None:
    chain = _chain(4)
    forged = _rehash(dataclasses.replace(_entry(99), prev_hash=chain[1].entry_hash))
    chain.insert(2, forged)  # between ids 2 and 3, linked to 2 like a real entry
    broken = find_break(chain).first_break
    assert broken is not None and (broken.kind, broken.entry_id) == (BreakKind.INSERTED, 99)
    assert "插入" in broken.message()


def test_an_entry_inserted_with_hashes_that_do_not_match_is_named() -> None:
    chain = _chain(4)
    chain.insert(2, dataclasses.replace(_entry(99), prev_hash=chain[1].entry_hash, entry_hash="f" * 64))
    broken = find_break(chain).first_break
    assert broken is not None and (broken.kind, broken.entry_id) == (BreakKind.INSERTED, 99)


def test_an_entry_appended_without_hashes_is_named_as_inserted() -> None:
    chain = [*_chain(3), _entry(4)]  # empty prev_hash and entry_hash, as a raw INSERT leaves them
    broken = find_break(chain).first_break
    assert broken is not None and (broken.kind, broken.entry_id) == (BreakKind.INSERTED, 4)


def test_only_the_first_break_is_named_but_every_entry_is_counted() -> None:
    chain = _chain(6)
    chain[1] = dataclasses.replace(chain[1], operator="甲")
    chain[4] = dataclasses.replace(chain[4], operator="乙")
    check = find_break(chain)
    assert check.first_break is not None and check.first_break.entry_id == 2
    assert check.entries == 6 and not check.ok
