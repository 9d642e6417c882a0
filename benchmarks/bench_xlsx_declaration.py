"""Time the applicant Excel workbook: write (empty / example / large) and read back.

Run: ``.venv/bin/python benchmarks/bench_xlsx_declaration.py``. Numbers go in benchmarks/README.md.
"""

from __future__ import annotations

import copy
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lzcenter_desktop.documents.xlsx_declaration import read_workbook, write_template
from lzcenter_desktop.domain.formdef import load_form_text
from lzcenter_desktop.paths import forms_dir

ROOT = Path(__file__).resolve().parent.parent


def median_ms(fn: Callable[[], Any], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    form = load_form_text((forms_dir() / "declaration-2026.toml").read_text(encoding="utf-8"))
    example_file = ROOT / "tests/data/examples/declaration-enterprise.json"
    example = json.loads(example_file.read_text(encoding="utf-8"))
    large = copy.deepcopy(example)
    large["staff"] = [dict(example["staff"][i % 10], name=f"研发人员{i:04d}") for i in range(1000)]
    large["achievements"] = example["achievements"] * 125  # 1000 rows
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = {
            "empty template": None,
            "example (10 staff)": example,
            "large (1000 staff, 1000 achievements)": large,
        }
        for name, data in cases.items():
            path = folder / "t.xlsx"
            write = median_ms(lambda data=data, path=path: write_template(path, form, data=data))
            read = median_ms(lambda path=path: read_workbook(path, form))
            size = path.stat().st_size / 1024
            print(f"{name:40s} write {write:7.1f} ms   read {read:7.1f} ms   {size:6.0f} KiB")


if __name__ == "__main__":
    main()
