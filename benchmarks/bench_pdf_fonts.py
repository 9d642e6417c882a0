"""Benchmark: bundled fonts — reportlab registration, glyph checks, self-test PDF, Qt registration.

Run:  .venv/bin/python benchmarks/bench_pdf_fonts.py
Each step runs in a fresh interpreter where "cold" matters.  Numbers are recorded in
benchmarks/README.md, section "Fonts and PDFs".
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

COLD_REPORTLAB = """
import time
t = time.perf_counter()
from lzcenter_desktop.documents.fonts import register_reportlab_fonts
register_reportlab_fonts()
print(time.perf_counter() - t)
"""

COLD_QT = """
import os, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
app = QApplication([])
t = time.perf_counter()
from lzcenter_desktop.ui.fonts import register_application_fonts
register_application_fonts(app)
print(time.perf_counter() - t)
"""


def cold(script: str, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def timed(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    from lzcenter_desktop.documents.fonts import check_fields, register_reportlab_fonts, tonggui_chars
    from lzcenter_desktop.documents.selftest_page import render_selftest_page

    print(f"cold register_reportlab_fonts (4 faces, fresh process): {cold(COLD_REPORTLAB) * 1000:.0f} ms")
    print(f"cold register_application_fonts (Qt, fresh process):    {cold(COLD_QT) * 1000:.0f} ms")
    register_reportlab_fonts()
    all_chars = "".join(tonggui_chars())
    fields = {
        "中心名称": "柳州市智能汽车零部件工程技术研究中心",
        "依托单位": "广西柳州某某汽车零部件有限公司",
        "地址": "广西壮族自治区柳州市柳南区航岭路 1 号",
        "负责人": "王䶮镕",
    }
    t_fields = timed(lambda: check_fields(fields, "serif"), 2000)
    t_all = timed(lambda: check_fields({"全表": all_chars}, "serif"), 50)
    print(f"check_fields, 4 typical fields:                         {t_fields * 1e6:.1f} µs")
    print(f"check_fields, all 8105 characters of 通用规范汉字表:     {t_all * 1000:.2f} ms")
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "selftest.pdf"
        render_selftest_page(target)  # first render also builds the font subsets' caches
        t_page = timed(lambda: render_selftest_page(target), 10)
        size = target.stat().st_size
    print(
        f"render_selftest_page (warm, median of 10):              {t_page * 1000:.0f} ms, "
        f"{size / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
