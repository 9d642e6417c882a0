"""Rule-engine timings: checking full declarations (10 / 50 staff, 30 achievements) and a
committees file.  Run: ``.venv/bin/python benchmarks/bench_rules.py`` — prints median and p95.
Record the figures in benchmarks/README.md (section "Rule engine")."""

from __future__ import annotations

import copy
import json
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from lzcenter_desktop.domain.committees import check_committees
from lzcenter_desktop.domain.eligibility import check_declaration
from lzcenter_desktop.domain.interchange import parse_committees, parse_declaration

EXAMPLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "examples"
KINDS = ["invention_patent", "new_product", "new_technology", "standard", "award", "utility_patent"]


def declaration_doc(staff: int, achievements: int) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((EXAMPLES / "declaration-enterprise.json").read_text(encoding="utf-8"))
    template = doc["staff"]
    doc["staff"] = [
        dict(copy.deepcopy(template[i % len(template)]), name=f"研发人员{i + 1:02d}", tech_leader=i == 0)
        for i in range(staff)
    ]
    doc["achievements"] = [
        {"kind": KINDS[i % len(KINDS)], "title": f"成果{i + 1}", "date": f"202{4 + i % 2}-0{1 + i % 9}-15"}
        for i in range(achievements)
    ]
    doc["projects"] = doc["projects"] * 4
    return doc


def measure(fn: Callable[[], object], runs: int = 2000) -> tuple[float, float]:
    for _ in range(50):
        fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    samples.sort()
    return statistics.median(samples) * 1e3, samples[int(len(samples) * 0.95)] * 1e3


def main() -> None:
    rows: list[tuple[str, float, float]] = []
    for staff in (10, 50):
        doc = declaration_doc(staff, 30)
        decl = parse_declaration(doc)
        rows.append(
            (
                f"check_declaration, {staff} staff, 30 achievements",
                *measure(lambda d=decl: check_declaration(d)),
            )
        )
        rows.append(
            (
                f"parse_declaration + check_declaration, {staff} staff, 30 achievements",
                *measure(lambda j=doc: check_declaration(parse_declaration(j))),
            )
        )
    comm = json.loads((EXAMPLES / "committees.json").read_text(encoding="utf-8"))
    parsed = parse_committees(comm)
    rows.append(
        (
            "check_committees, public example",
            *measure(lambda: check_committees(parsed, as_of=date(2026, 11, 26))),
        )
    )
    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}}  median ms  p95 ms")
    for name, median, p95 in rows:
        print(f"{name:<{width}}  {median:9.3f}  {p95:6.3f}")


if __name__ == "__main__":
    main()
