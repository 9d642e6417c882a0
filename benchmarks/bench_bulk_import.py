"""Bulk import: ``lzcenter-desktop import FOLDER`` with 1,000 declarations, one process (issue 11 item 6).

Generates ``--count`` valid variants of the public example (each its own host, with a valid credit
code, so none is flagged) in a temporary folder, then times, in the same run:

* the whole CLI process importing the folder in one pass (Python start, imports, opening the
  database, every file in its own transaction, the summary);
* the baseline: ``--baseline`` of the same files imported one process each (``import FILE``, as a
  script looping over the files had to do before), extrapolated per file to ``--count``.

Both import into a database already created and migrated (untimed), as a clerk's would be.

Run: .venv/bin/python benchmarks/bench_bulk_import.py [--count 1000] [--baseline 20] [--runs 1]
(figures in benchmarks/README.md). Target: 1,000 declarations in ≤ 10 s.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EXAMPLE = ROOT / "tests/data/examples/declaration-enterprise.json"
DIGITS = "零一二三四五六七八九"


def variant(example: dict[str, Any], n: int) -> dict[str, Any]:
    from lzcenter_desktop.domain.credit_code import check_char

    data = copy.deepcopy(example)
    first17 = f"91450205MA5{n:06d}"
    host = f"柳州某某{''.join(DIGITS[int(c)] for c in f'{n:04d}')}重工股份有限公司"
    data["host"]["name"] = host
    data["host"]["credit_code"] = first17 + check_char(first17)
    data["center"]["name_zh"] = f"柳州工程机械智能制造工程技术研究中心（{host}）"
    return data


def new_database(path: Path) -> None:
    from lzcenter_desktop.services.context import open_app

    open_app(str(path)).db.dispose()


def cli(*args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("LZCENTER_DB", None)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "lzcenter_desktop", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
    )
    return time.perf_counter() - start, done


def count(db: Path) -> tuple[int, int]:
    """(declarations, audit entries) in ``db``."""
    with sqlite3.connect(db) as con:
        declarations = con.execute("SELECT count(*) FROM declaration").fetchone()[0]
        entries = con.execute("SELECT count(*) FROM audit_entry").fetchone()[0]
    return declarations, entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--baseline", type=int, default=20)
    parser.add_argument("--runs", type=int, default=1, help="bulk runs (each into a new database)")
    args = parser.parse_args()
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    work = Path(tempfile.mkdtemp(prefix="bench-bulk-"))
    folder = work / "申报书"
    folder.mkdir()
    for n in range(args.count):
        path = folder / f"申报书{n:05d}.json"
        path.write_text(json.dumps(variant(example, n), ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"{args.count} files in {folder} ({sum(p.stat().st_size for p in folder.iterdir()) / 1e6:.1f} MB)")

    bulk: list[float] = []
    for run in range(args.runs):
        db = work / f"bulk{run}.sqlite"
        new_database(db)
        before = count(db)
        seconds, done = cli("--db", str(db), "import", str(folder))
        if done.returncode != 0:
            sys.exit(f"bulk import failed ({done.returncode}):\n{done.stderr[-2000:]}")
        declarations, entries = count(db)
        assert declarations - before[0] == args.count, declarations
        assert done.stdout.splitlines()[0] == f"共 {args.count} 个文件：已导入 {args.count} 个，未导入 0 个。"
        bulk.append(seconds)
        print(
            f"bulk run {run + 1}: {seconds:.2f} s for {args.count} files "
            f"({seconds / args.count * 1000:.1f} ms a file, {(entries - before[1]) / args.count:.1f} audit "
            "entries a file)"
        )

    db = work / "one-by-one.sqlite"
    new_database(db)
    single: list[float] = []
    for path in sorted(folder.iterdir())[: args.baseline]:
        seconds, done = cli("--db", str(db), "import", str(path))
        if done.returncode != 0:
            sys.exit(f"single import failed ({done.returncode}):\n{done.stderr[-2000:]}")
        single.append(seconds)
    per_file = statistics.mean(single)
    print(
        f"one process a file: {per_file:.2f} s a file (median {statistics.median(single):.2f} s, "
        f"{args.baseline} files) → {per_file * args.count:.0f} s for {args.count} (extrapolated)"
    )
    best = min(bulk)
    print(
        f"bulk {best:.2f} s vs {per_file * args.count:.0f} s: {per_file * args.count / best:.0f}× "
        f"(target ≤ 10 s: {'met' if best <= 10 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
