"""Autosave cost per keystroke: time of save_draft and the audit bytes it writes; what the audit
hash chain adds to it (measured alone, and as saves with the chain on and off in turn).

Run: .venv/bin/python benchmarks/bench_autosave.py   (figures in benchmarks/README.md)
"""

import copy
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def measure(
    label: str, make_draft: Callable[[Any, dict[str, Any]], int], edit: Callable[[dict, int], None]
) -> None:
    from sqlmodel import col, select

    from lzcenter_desktop.services import declarations
    from lzcenter_desktop.services.context import open_app
    from lzcenter_desktop.storage.models import AuditEntry

    example_file = ROOT / "tests/data/examples/declaration-enterprise.json"
    example = json.loads(example_file.read_text(encoding="utf-8"))
    ctx = open_app(str(Path(tempfile.mkdtemp()) / "bench.sqlite"))
    doc = copy.deepcopy(example)
    draft = make_draft(ctx, doc)
    with ctx.db.session() as s:
        last = max(e.id for e in s.execute(select(AuditEntry)).scalars())
    times = []
    n = 60
    for i in range(n):
        edit(doc, i)
        start = time.perf_counter()
        declarations.save_draft(ctx, declaration_id=draft, data=doc)
        times.append((time.perf_counter() - start) * 1000)
    with ctx.db.session() as s:
        entries = list(s.execute(select(AuditEntry).where(col(AuditEntry.id) > last)).scalars())
    size = sum(len((e.before or "").encode()) + len((e.after or "").encode()) for e in entries)
    print(
        f"{label}: save median {statistics.median(times):.2f} ms, p95 {sorted(times)[int(n * 0.95)]:.2f} ms; "
        f"{len(entries) / n:.1f} audit entries, {size / n:,.0f} B per keystroke"
    )
    chain_cost(ctx, entries[-1])
    ctx.db.dispose()


def chain_cost(ctx: Any, entry: Any) -> None:
    """What the audit chain adds to a save: reading the newest entry's hash (inside the write
    transaction) and hashing the new entry's canonical JSON (storage/audit_chain.chain_rows)."""
    from lzcenter_desktop.storage.audit_chain import chain_rows

    values = entry.model_dump(exclude={"id", "prev_hash", "entry_hash"})
    times = []
    with ctx.db.engine.connect() as conn:
        for _ in range(200):
            start = time.perf_counter()
            chain_rows(conn, [dict(values)])
            times.append((time.perf_counter() - start) * 1000)
    print(
        "  of which the audit chain (tail read + SHA-256 of one entry): "
        f"median {statistics.median(times):.3f} ms"
    )


def chain_on_off(rounds: int = 400) -> None:
    """The same save with the audit chain on and off, alternating save by save on one draft (so
    that the disk's and the machine's drift falls on both alike)."""
    import lzcenter_desktop.storage.guards as guards
    from lzcenter_desktop.services import declarations
    from lzcenter_desktop.services.context import open_app

    real = (guards.chain_rows, guards.chain_objects)
    off = (lambda _conn, _rows: None, lambda _conn, _objects: None)
    doc = json.loads((ROOT / "tests/data/examples/declaration-enterprise.json").read_text(encoding="utf-8"))
    ctx = open_app(str(Path(tempfile.mkdtemp()) / "chain.sqlite"))
    draft = declarations.import_declaration_data(ctx, data=copy.deepcopy(doc)).declaration_id
    times: dict[bool, list[float]] = {True: [], False: []}
    try:
        for i in range(rounds):
            on = i % 2 == 0
            guards.chain_rows, guards.chain_objects = real if on else off  # type: ignore[assignment]
            doc["center"]["research_direction"] = "工程机械电液控制" + "测" * (i % 50 + 1)
            start = time.perf_counter()
            declarations.save_draft(ctx, declaration_id=draft, data=doc)
            times[on].append((time.perf_counter() - start) * 1000)
    finally:
        guards.chain_rows, guards.chain_objects = real
        ctx.db.dispose()
    for on in (False, True):
        print(
            f"audit chain {'on ' if on else 'off'} (alternating saves): "
            f"median {statistics.median(times[on]):.2f} ms, mean {statistics.mean(times[on]):.2f} ms"
        )


def main() -> None:
    from lzcenter_desktop.services import declarations

    def new_draft(ctx: Any, doc: dict[str, Any]) -> int:
        draft = declarations.create_draft(ctx, call_year=2026)
        declarations.save_draft(ctx, declaration_id=draft, data=doc)
        return draft

    def imported(ctx: Any, doc: dict[str, Any]) -> int:
        return declarations.import_declaration_data(ctx, data=copy.deepcopy(doc)).declaration_id

    def type_direction(doc: dict, i: int) -> None:
        doc["center"]["research_direction"] = "工程机械电液控制" + "测" * (i + 1)

    def type_staff_name(doc: dict, i: int) -> None:
        doc["staff"][3]["name"] = "研发人员" + "甲" * (i % 5 + 1)

    measure("new draft, typing in 研发方向", new_draft, type_direction)
    measure("imported draft, editing a staff cell", imported, type_staff_name)
    chain_on_off()


if __name__ == "__main__":
    main()
