"""Crash rounds: SIGKILL a process in the middle of real saves, then check the database.

Run:  .venv/bin/python benchmarks/bench_crash.py [rounds]      (default 500; POSIX only)
Figures are recorded in benchmarks/README.md, section "Crash safety".

Each round starts a fresh process on the same database that repeats one kind of real save through
the services — a wizard autosave (``declarations.save_draft``), a committee roster save
(``committees.save_committees``) or a declaration import (``declarations.import_declaration_data``)
— and kills it with SIGKILL after a random delay, usually in the middle of a transaction. After
every kill the database must be

* sound: ``PRAGMA integrity_check`` is ``ok`` and ``PRAGMA foreign_key_check`` finds nothing;
* before or after, never between: the saved value is the last one the process reported as done,
  or the one after it (committed in the instant before the kill), never anything else;
* audited exactly: every committed save has its audit entries (one transaction each), none more;
* chained: the audit hash chain verifies from the first entry to the last (issue 15 item 7), so
  a kill never leaves an entry without its hash or a link to a rolled-back one.

The kinds take turns, so the database grows across rounds as it would in use.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXAMPLES = ROOT / "tests" / "data" / "examples"
KINDS = ("autosave", "roster", "import")
ACTIONS = {
    "autosave": "declarations.save_draft",
    "roster": "committees.save_committees：第%d次保存",
    "import": "declarations.import_declaration",
}
FILED_BASE = date(2023, 2, 1)

CHILD = textwrap.dedent(
    """
    import copy, json, sys
    from dataclasses import replace
    from datetime import date, timedelta
    from lzcenter_desktop.services.context import open_app
    from lzcenter_desktop.services import committees, declarations

    path, kind = sys.argv[1], sys.argv[2]
    start, draft_id, center_id = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    example = json.loads(sys.argv[6])
    ctx = open_app(path, operator="crash-bench")
    if kind == "autosave":
        doc = declarations.get_declaration(ctx, draft_id).data
    elif kind == "roster":
        value = committees.load_committees(ctx, center_id=center_id)
    print("READY", flush=True)
    n = start
    while True:
        n += 1
        if kind == "autosave":
            doc["center"]["research_direction"] = f"研发方向第{n}版"
            declarations.save_draft(ctx, declaration_id=draft_id, data=doc)
        elif kind == "roster":
            terms = list(value.expert_committee_terms)
            terms[-1] = replace(terms[-1], filed=date(2023, 2, 1) + timedelta(days=n))
            value = replace(value, expert_committee_terms=tuple(terms))
            committees.save_committees(ctx, center_id=center_id, committees=value, reason=f"第{n}次保存")
        else:
            declarations.import_declaration_data(ctx, data=copy.deepcopy(example))
        print(f"OK {n}", flush=True)
    """
)


def _prepare(path: Path) -> tuple[int, int]:
    """A migrated database with one draft and one centre whose committees are the public example."""
    from lzcenter_desktop.domain.interchange import parse_committees
    from lzcenter_desktop.services import committees, declarations
    from lzcenter_desktop.services.centers import add_center, apply_state_change
    from lzcenter_desktop.services.context import open_app
    from lzcenter_desktop.services.organizations import add_organization
    from lzcenter_desktop.services.uow import unit_of_work
    from tests.review_records import add_notice, add_review_result

    example = json.loads((EXAMPLES / "declaration-enterprise.json").read_text(encoding="utf-8"))
    ctx = open_app(str(path), operator="crash-bench")
    try:
        draft_id = declarations.create_draft(ctx, call_year=2026, data=example)
        data = json.loads((EXAMPLES / "committees.json").read_text(encoding="utf-8"))
        with unit_of_work(ctx, "bench.prepare") as session:
            org = add_organization(
                session, name=data["host"]["name"], kind="enterprise", credit_code=data["host"]["credit_code"]
            )
            assert org.id is not None
            center = add_center(
                session,
                name_zh=data["center"]["name_zh"],
                host_id=org.id,
                on=date(2022, 1, 1),
                industries=["汽车"],
            )
            assert center.id is not None
            center_id = center.id
            steps = ["submitted", "under_review", "proposed", "public_notice", "recognised"]
            for k, state in enumerate(steps):
                on = date(2022, 1 + k, 2)  # monthly: the 公示 (20 days) ends before the recognition
                if state == "proposed":  # the review records the guarded steps need
                    add_review_result(session, center_id, call_year=2022, decided_on=on)
                elif state == "public_notice":
                    add_notice(session, [center_id], call_year=2022, start=on)
                apply_state_change(session, center, to_state=state, on=on, reason="准备")
        value = parse_committees(data)
        terms = list(value.expert_committee_terms)
        terms[-1] = replace(terms[-1], filed=FILED_BASE)
        committees.save_committees(
            ctx,
            center_id=center_id,
            committees=replace(value, expert_committee_terms=tuple(terms)),
            reason="初始",
        )
    finally:
        ctx.db.dispose()
    return draft_id, center_id


def _stored(path: Path, kind: str, draft_id: int, center_id: int) -> tuple[int, int]:
    """(the saved value, the number of committed saves the audit trail records) of ``kind``."""
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        if kind == "autosave":
            source = con.execute("select source_json from declaration where id = ?", (draft_id,)).fetchone()[
                0
            ]
            direction = json.loads(source)["center"]["research_direction"]
            value = int(direction.removeprefix("研发方向第").removesuffix("版")) if "第" in direction else 0
            audited = con.execute(
                "select count(distinct txn) from audit_entry where action = ?", (ACTIONS["autosave"],)
            ).fetchone()[0]
        elif kind == "roster":
            filed = con.execute(
                "select max(filed_on) from expert_committee_term where center_id = ?",
                (center_id,),
            ).fetchone()[0]
            value = (date.fromisoformat(filed) - FILED_BASE).days
            roster_saves = "committees.save_committees：第%"
            audited = con.execute(
                "select count(distinct txn) from audit_entry where action like ?", (roster_saves,)
            ).fetchone()[0]
        else:
            # the declarations the imports made: those after the ones _prepare wrote (the draft
            # and the review records' own)
            value = con.execute("select count(*) from declaration where id > ?", (_prepared[0],)).fetchone()[
                0
            ]
            audited = con.execute(
                "select count(distinct txn) from audit_entry where action = ?", (ACTIONS["import"],)
            ).fetchone()[0]
        return int(value), int(audited)
    finally:
        con.close()


def _sound(path: Path) -> list[str]:
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        problems = [r[0] for r in con.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {r}" for r in con.execute("PRAGMA foreign_key_check")]
        return problems
    finally:
        con.close()


def _chain_break(path: Path) -> str | None:
    """The first broken link of the audit chain (Chinese), ``None`` when it verifies."""
    from lzcenter_desktop.domain.audit_chain import ChainEntry, find_break

    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "select id, at, operator, action, operation, entity, entity_id, before, after, txn, "
            "prev_hash, entry_hash from audit_entry order by id"
        )
        check = find_break(
            ChainEntry(r[0], datetime.fromisoformat(r[1]), *r[2:])
            for r in rows  # type: ignore[arg-type]
        )
    finally:
        con.close()
    _chain_sizes.append(check.entries)
    return None if check.first_break is None else check.first_break.message()


_chain_sizes: list[int] = []
_prepared = [0]  # the highest declaration id after _prepare


def _round(
    path: Path, kind: str, start: int, ids: tuple[int, int], example: str, rng: random.Random
) -> tuple[int, float]:
    """Run one process, kill it, return (the last value it reported done, ms it ran after READY)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), kind, str(start), str(ids[0]), str(ids[1]), example],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.strip())
            if line.startswith("READY"):
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not ready.wait(60):
        proc.kill()
        raise RuntimeError(f"child did not start: {proc.stderr.read() if proc.stderr else ''}")
    delay = rng.uniform(0.002, 0.25)
    started = time.perf_counter()
    time.sleep(delay)
    if proc.poll() is not None:  # it failed on its own: no kill was tested
        raise RuntimeError(
            f"child exited by itself ({proc.returncode}): {proc.stderr.read() if proc.stderr else ''}"
        )
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    ran = (time.perf_counter() - started) * 1000
    reader.join(timeout=5)
    done = [int(x.split()[1]) for x in lines if x.startswith("OK ")]
    return (done[-1] if done else start), ran


def main() -> int:
    if sys.platform == "win32":
        print("SIGKILL is POSIX: run this benchmark on Linux or macOS")
        return 2
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    rng = random.Random(2026)
    example = (EXAMPLES / "declaration-enterprise.json").read_text(encoding="utf-8")
    example_arg = json.dumps(json.loads(example), ensure_ascii=False)
    folder = Path(tempfile.mkdtemp(prefix="lzcenter-crash-"))
    path = folder / "crash.sqlite"
    ids = _prepare(path)
    con = sqlite3.connect(path)
    _prepared[0] = int(con.execute("select max(id) from declaration").fetchone()[0])
    con.close()
    committed = {kind: 0 for kind in KINDS}
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    saves_per_round: list[int] = []
    chain_ms: list[float] = []
    began = time.perf_counter()
    for n in range(rounds):
        kind = KINDS[n % len(KINDS)]
        before = committed[kind]
        last_done, _ran = _round(path, kind, before, ids, example_arg, rng)
        problems = _sound(path)
        value, audited = _stored(path, kind, *ids)
        if problems:
            failures.append(f"round {n} ({kind}): damaged: {problems[:3]}")
        if value not in (last_done, last_done + 1):
            failures.append(f"round {n} ({kind}): value {value}, process had reported {last_done}")
        if audited != value:
            failures.append(f"round {n} ({kind}): {value} saves but {audited} audited transactions")
        chain_started = time.perf_counter()
        broken = _chain_break(path)
        chain_ms.append((time.perf_counter() - chain_started) * 1000)
        if broken is not None:
            failures.append(f"round {n} ({kind}): broken chain: {broken}")
        outcomes[
            "killed mid-transaction, rolled back" if value == last_done else "committed just before kill"
        ] += 1
        saves_per_round.append(value - before)
        committed[kind] = value
        if (n + 1) % 50 == 0:
            print(f"… {n + 1} rounds, {len(failures)} failures", flush=True)
    elapsed = time.perf_counter() - began
    print(f"rounds: {rounds} in {elapsed:.0f} s ({', '.join(f'{k} {committed[k]} saves' for k in KINDS)})")
    print(f"saves per round: median {statistics.median(saves_per_round):.0f}, max {max(saves_per_round)}")
    for label, count in outcomes.most_common():
        print(f"  {label}: {count}")
    print(f"damaged databases: {sum('damaged' in f for f in failures)}")
    print(f"values between before and after: {sum('reported' in f for f in failures)}")
    print(f"saves without their audit entries (or extra ones): {sum('audited' in f for f in failures)}")
    print(
        f"broken audit chains: {sum('broken chain' in f for f in failures)} "
        f"(verified after every round: {len(chain_ms)} times, "
        f"up to {max(_chain_sizes, default=0):,} entries, "
        f"median {statistics.median(chain_ms or [0]):.0f} ms, max {max(chain_ms, default=0):.0f} ms)"
    )
    for f in failures[:20]:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
