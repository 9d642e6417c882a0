"""Declaration wizard timings: the live check run on every keystroke, one autosave, import, export,
the list of declarations, and the printed form.  Run: ``.venv/bin/python benchmarks/bench_declarations.py``
— prints medians.  Record the figures in benchmarks/README.md (section "Declarations")."""

from __future__ import annotations

import copy
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lzcenter_desktop.documents.declaration_form import render_declaration_form
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.context import open_app

EXAMPLE = (
    Path(__file__).resolve().parent.parent / "tests" / "data" / "examples" / "declaration-enterprise.json"
)


def median_ms(fn: Callable[[], Any], runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    example: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    big = copy.deepcopy(example)
    big["staff"] = [dict(example["staff"][i % 10], name=f"研发人员{i:03d}") for i in range(200)]
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_app(str(Path(tmp) / "bench.sqlite"))
        form = d.load_declaration_form(2026)
        settings = rulesets.settings_for_year(ctx, 2026)

        def check(doc: dict[str, Any]) -> Callable[[], Any]:
            return lambda: d.check_document(doc, form=form, settings=settings)

        print(f"live check, blank draft: {median_ms(check(d.empty_document(2026))):.2f} ms")
        print(f"live check, example: {median_ms(check(example)):.2f} ms")
        print(f"live check, 200 staff: {median_ms(check(big)):.2f} ms")
        did = d.create_draft(ctx, call_year=2026)
        docs = []
        for i in range(16):
            doc = copy.deepcopy(example)
            doc["center"]["research_direction"] += str(i)
            docs.append(doc)
        it = iter(docs)
        saving = median_ms(lambda: d.save_draft(ctx, declaration_id=did, data=next(it)))
        print(f"save_draft (one audited transaction): {saving:.2f} ms")
        importing = median_ms(lambda: d.import_declaration_file(ctx, path=EXAMPLE), runs=7)
        print(f"import example: {importing:.2f} ms")
        print(f"export example: {median_ms(lambda: d.export_declaration(ctx, declaration_id=did)):.2f} ms")
        n = len(d.list_declarations(ctx))
        print(f"list_declarations ({n} rows): {median_ms(lambda: d.list_declarations(ctx), runs=5):.2f} ms")
        out = Path(tmp) / "form.pdf"
        render_declaration_form(out, form, example)
        printing = median_ms(lambda: render_declaration_form(out, form, example), runs=5)
        print(f"printed form (warm): {printing:.1f} ms, {out.stat().st_size // 1024} KiB")
        ctx.db.dispose()


if __name__ == "__main__":
    main()
