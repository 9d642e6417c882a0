"""The 中心 page's loading: first rows before the whole list, the newest read wins, reloads when
centres change (ui/ops ``data_changed``), the sort kept across a reload."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt

from lzcenter_desktop.services.dto import CenterRow
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.models.centers import COL_NAME, CenterTableModel, haystack
from lzcenter_desktop.ui.pages.centers import FIRST_ROWS, CentersPage


def _rows(n: int, prefix: str = "测试") -> list[CenterRow]:
    return [
        CenterRow(
            id=i,
            name=f"柳州{prefix}{i:05d}工程技术研究中心",
            host=f"柳州单位{i}有限公司",
            district="柳北区" if i % 2 else "鱼峰区",
            industry="汽车",
            status="已认定",
            status_code="recognised",
            recognized_on=date(2020, 1, 1),
            director=None,
        )
        for i in range(1, n + 1)
    ]


class Gate:
    """A list read that waits until the test lets it finish."""

    def __init__(self, rows: list[CenterRow]) -> None:
        self.rows = rows
        self.open = threading.Event()
        self.calls = 0

    def __call__(self, _ctx: object) -> list[CenterRow]:
        self.calls += 1
        assert self.open.wait(30), "the test never let the read finish"
        return self.rows


@pytest.fixture
def gate() -> Iterator[Gate]:
    g = Gate(_rows(FIRST_ROWS * 3))
    yield g
    g.open.set()


def test_the_first_rows_show_while_the_whole_list_is_read(qtbot, ctx, gate: Gate) -> None:
    heads: list[int] = []

    def first(_ctx: object, count: int) -> list[CenterRow]:
        heads.append(count)
        return gate.rows[:count]

    page = CentersPage(ctx, list_centers=gate, first_centers=first)
    qtbot.addWidget(page)
    page.reload()
    qtbot.waitUntil(lambda: page.model.rowCount() == FIRST_ROWS)
    assert heads == [FIRST_ROWS]
    assert page.loading
    assert page.status_text() == f"正在读取全部中心…（先显示前 {FIRST_ROWS} 个）"
    with qtbot.waitSignal(page.rows_loaded):
        gate.open.set()
    assert page.model.rowCount() == FIRST_ROWS * 3
    assert not page.loading
    assert page.status_text() == f"共 {FIRST_ROWS * 3} 个中心，显示 {FIRST_ROWS * 3} 个"


def test_first_rows_are_read_only_while_the_list_is_empty(qtbot, ctx) -> None:
    heads: list[int] = []

    def first(_ctx: object, count: int) -> list[CenterRow]:
        heads.append(count)
        return []

    page = CentersPage(ctx, list_centers=lambda _ctx: _rows(3), first_centers=first)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.rows_loaded):
        page.reload()
    with qtbot.waitSignal(page.rows_loaded):
        page.reload()  # the old rows stay on screen until the new ones arrive: no first rows
    assert heads == [FIRST_ROWS]
    assert page.model.rowCount() == 3


def test_first_rows_arriving_after_the_whole_list_are_ignored(qtbot, ctx) -> None:
    head_gate = threading.Event()

    def slow_first(_ctx: object, count: int) -> list[CenterRow]:
        assert head_gate.wait(30)
        return _rows(count, "旧")

    page = CentersPage(ctx, list_centers=lambda _ctx: _rows(5), first_centers=slow_first)
    qtbot.addWidget(page)
    try:
        with qtbot.waitSignal(page.rows_loaded):
            page.reload()
    finally:
        head_gate.set()
    qtbot.waitUntil(lambda: not _running(page))
    assert page.model.rowCount() == 5
    assert "旧" not in page.model.row_at(0).name


def _running(page: CentersPage) -> bool:
    """Whether a read of this page has not delivered yet (tasks of pages destroyed by earlier
    tests may never deliver, so the global count is not used)."""
    from lzcenter_desktop.ui.tasks import Task

    return any(not t.is_finished for t in page.findChildren(Task))


def test_without_a_first_rows_reader_only_the_whole_list_is_read(qtbot, ctx, gate: Gate) -> None:
    page = CentersPage(ctx, list_centers=gate)  # tests and callers that give only list_centers
    qtbot.addWidget(page)
    page.reload()
    qtbot.waitUntil(lambda: gate.calls == 1)
    assert page.model.rowCount() == 0
    assert page.status_text() == "共 0 个中心，显示 0 个"
    with qtbot.waitSignal(page.rows_loaded):
        gate.open.set()
    assert page.model.rowCount() == FIRST_ROWS * 3


def test_the_newest_read_wins(qtbot, ctx) -> None:
    slow = Gate(_rows(2, "旧"))
    answers = iter([slow, lambda _ctx: _rows(4, "新")])
    page = CentersPage(ctx, list_centers=lambda c: next(answers)(c))
    qtbot.addWidget(page)
    page.reload()
    qtbot.waitUntil(lambda: slow.calls == 1)
    with qtbot.waitSignal(page.rows_loaded):
        page.reload()
    assert page.model.rowCount() == 4
    assert _running(page)  # the slow, older read is still out
    slow.open.set()
    qtbot.waitUntil(lambda: not _running(page))
    assert page.model.rowCount() == 4  # the older answer came later and was dropped
    assert "新" in page.model.row_at(0).name


def test_the_list_is_read_again_when_centres_change(qtbot, ctx) -> None:
    calls: list[int] = []

    def read(_ctx: object) -> list[CenterRow]:
        calls.append(1)
        return _rows(len(calls))

    page = CentersPage(ctx, list_centers=read)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.rows_loaded):
        page.reload()
    ops.hub().notify({"people"})
    assert not page.loading  # another kind of record: nothing to read
    with qtbot.waitSignal(page.rows_loaded):
        ops.hub().notify({"people", "centers"})
    assert page.model.rowCount() == 2
    assert len(calls) == 2


def test_the_list_is_read_again_when_shown_again(qtbot, ctx) -> None:
    calls: list[int] = []
    page = CentersPage(ctx, list_centers=lambda _ctx: calls.append(1) or _rows(3))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.rows_loaded):
        page.on_shown(True)
    with qtbot.waitSignal(page.rows_loaded):
        page.on_shown(False)
    assert len(calls) == 2


def test_a_sorted_list_stays_sorted_after_a_reload(qtbot, ctx) -> None:
    page = CentersPage(ctx, list_centers=lambda _ctx: _rows(5))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.rows_loaded):
        page.reload()
    page.table.sortByColumn(COL_NAME, Qt.SortOrder.DescendingOrder)
    first_before = page.proxy.index(0, COL_NAME).data()
    assert first_before == "柳州测试00005工程技术研究中心"
    with qtbot.waitSignal(page.rows_loaded):
        page.reload()
    assert page.proxy.index(0, COL_NAME).data() == first_before
    assert page.table.horizontalHeader().sortIndicatorSection() == COL_NAME


def test_haystacks_made_elsewhere_are_used_and_must_match_the_rows() -> None:
    rows = _rows(3)
    model = CenterTableModel()
    model.set_rows(rows, [haystack(r) for r in rows])
    assert model.haystacks == [haystack(r) for r in rows]
    with pytest.raises(ValueError, match="one haystack per row"):
        model.set_rows(rows, [haystack(r) for r in rows[:2]])
    with pytest.raises(ValueError, match="one haystack per row"):
        model.set_rows(rows, [*(haystack(r) for r in rows), "多余"])
    assert model.rowCount() == 3  # a refused call changes nothing
