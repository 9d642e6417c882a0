"""Benchmark: build the 中心 list model and filter it at 100,000 rows (offscreen).

Run:  .venv/bin/python benchmarks/bench_center_list.py [rows]
Numbers are recorded in benchmarks/README.md, section "Centre list".

Each operation is measured twice in the same run: with the application's ``CenterFilterProxy``
(an index array swapped in one layout change) and with a baseline ``QSortFilterProxyModel`` whose
``filterAcceptsRow`` only looks up a precomputed answer (the previous design), so the ratio is
measured on the same machine at the same moment.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QApplication, QTableView

from lzcenter_desktop.services.dto import CenterRow
from lzcenter_desktop.ui.models.centers import (
    ALL_STATUSES,
    COL_NAME,
    COL_RECOGNIZED_ON,
    CenterFilterProxy,
    CenterTableModel,
    filter_terms,
)


class BaselineLookupProxy(QSortFilterProxyModel):
    """The previous design: answers computed in one pass, then Qt asks ``filterAcceptsRow`` per row."""

    def __init__(self) -> None:
        super().__init__()
        self._text = ""
        self._status = ALL_STATUSES
        self._accepted: list[bool] | None = None
        self.setDynamicSortFilter(False)

    def set_filter_text(self, text: str) -> None:
        if filter_terms(text) != filter_terms(self._text):
            self._text = text
            self._refilter()

    def set_status_filter(self, status: str) -> None:
        if status != self._status:
            self._status = status
            self._refilter()

    def _refilter(self) -> None:
        source = self.sourceModel()
        terms = filter_terms(self._text)
        if not terms and self._status == ALL_STATUSES:
            self._accepted = None
        else:
            rows, hays = source.rows, source.haystacks
            self._accepted = [
                (self._status == ALL_STATUSES or rows[i].status == self._status)
                and all(t in h for t in terms)
                for i, h in enumerate(hays)
            ]
        self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:  # type: ignore[no-untyped-def]
        return self._accepted is None or self._accepted[source_row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)


DISTRICTS = [
    "城中区",
    "鱼峰区",
    "柳南区",
    "柳北区",
    "柳江区",
    "柳城县",
    "鹿寨县",
    "融安县",
    "融水苗族自治县",
    "三江侗族自治县",
]
INDUSTRIES = [
    "汽车",
    "机械装备",
    "新材料",
    "生物医药",
    "电子信息",
    "节能环保",
    "现代农业",
    "冶金",
    "化工",
    "轻工",
]
STATUSES = [
    ("已认定", "recognised"),
    ("培育中", "cultivating"),
    ("整改中", "rectifying"),
    ("已撤销", "revoked"),
]
WORDS = [
    "智能", "汽车", "零部件", "新能源", "动力", "电池", "螺蛳粉", "食品", "钢铁", "材料",
    "装备", "制造", "工程机械", "数字", "医药", "生物", "环保", "检测", "精密", "铸造",
]  # fmt: skip


def make_rows(n: int, seed: int = 2026) -> list[CenterRow]:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        status, code = rnd.choice(STATUSES)
        words = "".join(rnd.sample(WORDS, 2))
        rows.append(
            CenterRow(
                id=i + 1,
                name=f"柳州市{words}工程技术研究中心{i}",
                host=f"柳州{rnd.choice(WORDS)}{rnd.choice(WORDS)}有限公司{i % 977}",
                district=rnd.choice(DISTRICTS),
                industry=rnd.choice(INDUSTRIES),
                status=status,
                status_code=code,
                recognized_on=date(2010, 1, 1) + timedelta(days=rnd.randrange(6000))
                if code != "cultivating"
                else None,
                director=f"张{i % 1000}",
            )
        )
    return rows


def timed(fn, repeat: int = 5, setup=None) -> tuple[float, float]:
    """Median and worst wall time of ``fn()`` in ms; ``setup()`` runs untimed before each call."""
    samples = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000, max(samples) * 1000


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    app = QApplication.instance() or QApplication([])
    rows = make_rows(n)
    measured = {
        name: measure(app, rows, proxy)
        for name, proxy in (
            ("CenterFilterProxy", CenterFilterProxy()),
            ("baseline QSortFilterProxyModel", BaselineLookupProxy()),
        )
    }
    ours, baseline = measured["CenterFilterProxy"], measured["baseline QSortFilterProxyModel"]
    print(f"rows: {n}, Python {sys.version.split()[0]}")
    print(f"{'operation':42} {'ours ms':>9} {'baseline ms':>12} {'ratio':>6}  note")
    for (label, med, _worst, note), (_, base, _bw, _bn) in zip(ours, baseline, strict=True):
        print(f"{label:42} {med:9.1f} {base:12.1f} {base / med:6.1f}  {note}")


def measure(app: QApplication, rows: list[CenterRow], proxy) -> list[tuple[str, float, float, str]]:  # type: ignore[no-untyped-def]
    model = CenterTableModel()
    proxy.setSourceModel(model)
    view = QTableView()
    view.setModel(proxy)
    view.resize(1200, 700)
    view.show()
    app.processEvents()
    results: list[tuple[str, float, float, str]] = []

    def load() -> None:
        model.set_rows(rows)
        app.processEvents()

    med, worst = timed(load)
    results.append(("set_rows (haystacks) + first paint", med, worst, f"{proxy.rowCount()} visible"))

    def clear() -> None:
        proxy.set_filter_text("")
        proxy.set_status_filter(ALL_STATUSES)
        app.processEvents()

    # What typing does without the page's 150 ms pause: one refilter per keystroke.
    for text in ("汽车", "柳北 已认定"):
        prefixes = [text[:k] for k in range(1, len(text) + 1)]
        refilters = len({" ".join(p.split()) for p in prefixes})

        def typing(prefixes: list[str] = prefixes) -> None:
            for prefix in prefixes:
                proxy.set_filter_text(prefix)
                app.processEvents()

        med, worst = timed(typing, setup=clear)
        note = f"{proxy.rowCount()} visible; {med / refilters:.0f} ms a refilter"
        results.append((f"type '{text}' ({refilters} refilters)", med, worst, note))

    def one_term() -> None:
        proxy.set_filter_text("螺蛳粉")
        app.processEvents()

    med, worst = timed(one_term, setup=clear)
    results.append(("one term '螺蛳粉' on the full list", med, worst, f"{proxy.rowCount()} visible"))

    med, worst = timed(clear, setup=one_term)
    results.append(("clear the filter (back to every row)", med, worst, f"{proxy.rowCount()} visible"))

    def status_filter() -> None:
        proxy.set_status_filter("已撤销")
        app.processEvents()

    med, worst = timed(status_filter, setup=clear)
    results.append(("status filter 已撤销", med, worst, f"{proxy.rowCount()} visible"))
    clear()

    def sort_by(column: int):
        def go() -> None:
            view.sortByColumn(column, Qt.SortOrder.AscendingOrder)
            app.processEvents()
            view.sortByColumn(column, Qt.SortOrder.DescendingOrder)
            app.processEvents()

        return go

    proxy.set_filter_text("汽车")
    med, worst = timed(sort_by(COL_NAME), repeat=3)
    results.append(("sort by 名称 asc + desc (filter on)", med, worst, f"{proxy.rowCount()} visible"))
    med, worst = timed(sort_by(COL_RECOGNIZED_ON), repeat=3)
    results.append(("sort by 认定日期 asc + desc (filter on)", med, worst, f"{proxy.rowCount()} visible"))

    view.selectionModel().setCurrentIndex(proxy.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    view.close()
    return results


if __name__ == "__main__":
    main()
