"""The 申报 list's model and proxy: Qt's model checks, the filters (年度, 状态, 依托单位, 仅有错误,
显示已作废), the sort keys (numbers, procedure order, pinyin) and how 已作废 rows are marked."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt

from lzcenter_desktop.services.declarations import STATUS_LABELS, DeclarationRow
from lzcenter_desktop.ui.models.declarations import (
    COL_CENTER,
    COL_ERRORS,
    COL_HOST,
    COL_ID,
    COL_STATUS,
    COL_UPDATED,
    COL_YEAR,
    COLUMN_COUNT,
    DeclarationFilterProxy,
    DeclarationIdRole,
    DeclarationTableModel,
    collation_ranks,
    format_updated,
)


def row(
    did: int,
    *,
    year: int = 2026,
    center: str = "柳州测试工程技术研究中心",
    host: str = "柳州某某机械有限公司",
    code: str = "",
    status: str = "draft",
    errors: int = 0,
    warnings: int = 0,
    reason: str = "",
    updated: datetime | None = None,
) -> DeclarationRow:
    return DeclarationRow(
        id=did,
        call_year=year,
        center_name=center,
        host_name=host,
        credit_code=code,
        status=status,
        status_label=STATUS_LABELS[status],
        application_date=date(year, 5, 20),
        errors=errors,
        warnings=warnings,
        updated_at=updated,
        status_reason=reason,
    )


ROWS = [
    row(
        1, year=2025, center="柳州北部湾汽车工程技术研究中心", host="柳州北方汽车有限公司", status="submitted"
    ),
    row(
        2,
        center="柳州安全装备工程技术研究中心",
        host="柳州安顺机械有限公司",
        code="91450205MA5N8R2T4M",
        errors=9,
    ),
    row(3, center="", host="", errors=10),
    row(
        4,
        center="柳州重工工程技术研究中心",
        host="柳州重工股份有限公司",
        status="discarded",
        reason="重复录入",
    ),
    row(
        5,
        year=2027,
        center="柳州白莲工程技术研究中心",
        host="柳州白莲食品有限公司",
        status="withdrawn",
        reason="来函撤回",
    ),
    row(6, center="柳州钢铁工程技术研究中心", host="柳州钢铁股份有限公司", status="decided", errors=1),
]


@pytest.fixture
def model(qtbot: Any) -> DeclarationTableModel:
    m = DeclarationTableModel()
    m.set_rows(ROWS)
    return m


@pytest.fixture
def proxy(model: DeclarationTableModel) -> DeclarationFilterProxy:
    p = DeclarationFilterProxy()
    p.setSourceModel(model)
    return p


def shown(proxy: DeclarationFilterProxy) -> list[int]:
    return [int(proxy.index(r, COL_ID).data(DeclarationIdRole)) for r in range(proxy.rowCount())]


def test_the_model_and_the_proxy_pass_qts_model_checks(
    qtmodeltester: Any, model: DeclarationTableModel, proxy: DeclarationFilterProxy
) -> None:
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    proxy.set_show_discarded(True)
    proxy.sort(COL_CENTER, Qt.SortOrder.DescendingOrder)
    proxy.set_host_text("柳州")
    qtmodeltester.check(proxy)
    empty = DeclarationTableModel()
    qtmodeltester.check(empty)


def test_cells_headers_and_marks(model: DeclarationTableModel) -> None:
    assert model.columnCount() == COLUMN_COUNT and model.rowCount() == len(ROWS)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(COLUMN_COUNT)]
    assert headers[:3] == ["编号", "年度", "中心名称"] and "错误数" in headers and "更新时间" in headers
    blank = model.index(2, COL_CENTER)
    assert blank.data() == "（未填写）" and model.index(2, COL_HOST).data() == "（未填写）"
    assert model.index(1, COL_ERRORS).data(Qt.ItemDataRole.ForegroundRole) is not None  # 9 errors: red
    assert model.index(0, COL_ERRORS).data(Qt.ItemDataRole.ForegroundRole) is None  # none: plain
    discarded = model.index(3, COL_STATUS)
    assert discarded.data() == "已作废"
    assert discarded.data(Qt.ItemDataRole.FontRole).italic()
    assert discarded.data(Qt.ItemDataRole.ToolTipRole) == "已作废，原因：重复录入"
    assert model.index(4, COL_STATUS).data(Qt.ItemDataRole.ToolTipRole) == "已撤回，原因：来函撤回"
    assert model.index(0, COL_STATUS).data(Qt.ItemDataRole.FontRole) is None


def test_updated_time_is_shown_in_local_time_to_the_minute() -> None:
    at = datetime(2026, 5, 20, 6, 3, 59, tzinfo=UTC)
    assert format_updated(at) == at.astimezone().strftime("%Y-%m-%d %H:%M")
    assert len(format_updated(at)) == 16 and format_updated(None) == ""


def test_discarded_drafts_are_hidden_until_asked_for(proxy: DeclarationFilterProxy) -> None:
    assert shown(proxy) == [1, 2, 3, 5, 6]
    proxy.set_show_discarded(True)
    assert shown(proxy) == [1, 2, 3, 4, 5, 6]
    proxy.set_show_discarded(False)
    proxy.set_status("discarded")  # asking for the status itself shows them
    assert shown(proxy) == [4]


def test_year_status_and_error_filters(proxy: DeclarationFilterProxy) -> None:
    proxy.set_year(2026)
    assert shown(proxy) == [2, 3, 6]
    proxy.set_status("draft")
    assert shown(proxy) == [2, 3]
    proxy.set_year(None)
    proxy.set_status("")
    proxy.set_only_errors(True)  # 0 errors is out, 1 error (the bound) is in
    assert shown(proxy) == [2, 3, 6]
    assert proxy.has_filter()


def test_the_host_filter_matches_every_term_in_the_name_or_code(proxy: DeclarationFilterProxy) -> None:
    proxy.set_host_text("机械")
    assert shown(proxy) == [2]
    proxy.set_host_text("有限公司")
    assert shown(proxy) == [1, 2, 5, 6]
    proxy.set_host_text("食品　柳州")  # a full-width space separates terms too; every one must match
    assert shown(proxy) == [5]
    proxy.set_host_text("食品 钢铁")
    assert shown(proxy) == []
    proxy.set_host_text("ma5n8r2t4m")  # the credit code, any case
    assert shown(proxy) == [2]
    proxy.set_host_text("柳州 没有")
    assert shown(proxy) == []


def test_clearing_keeps_the_discarded_toggle(proxy: DeclarationFilterProxy) -> None:
    proxy.set_show_discarded(True)
    proxy.set_year(2026)
    proxy.set_only_errors(True)
    proxy.set_host_text("钢铁")
    assert shown(proxy) == [6]
    proxy.clear_filters()
    assert not proxy.has_filter() and proxy.host_text == ""
    assert shown(proxy) == [1, 2, 3, 4, 5, 6] and proxy.show_discarded


def test_sorting_numbers_procedure_and_pinyin(proxy: DeclarationFilterProxy) -> None:
    proxy.set_show_discarded(True)
    proxy.sort(COL_ERRORS, Qt.SortOrder.AscendingOrder)
    errors = [proxy.index(r, COL_ERRORS).data() for r in range(proxy.rowCount())]
    assert errors == ["0", "0", "0", "1", "9", "10"]  # as numbers: 9 before 10
    proxy.sort(COL_STATUS, Qt.SortOrder.AscendingOrder)
    statuses = [proxy.index(r, COL_STATUS).data() for r in range(proxy.rowCount())]
    assert statuses == ["草稿", "草稿", "已提交", "已办结", "已撤回", "已作废"]
    proxy.sort(COL_HOST, Qt.SortOrder.AscendingOrder)
    hosts = [proxy.index(r, COL_HOST).data() for r in range(proxy.rowCount())]
    # pinyin: an (安顺), bai (白莲), bei (北方), gang (钢铁), zhong (重工); no host first
    assert hosts == [
        "（未填写）",
        "柳州安顺机械有限公司",
        "柳州白莲食品有限公司",
        "柳州北方汽车有限公司",
        "柳州钢铁股份有限公司",
        "柳州重工股份有限公司",
    ]
    proxy.sort(COL_YEAR, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, COL_YEAR).data() for r in range(3)] == ["2027", "2026", "2026"]


def test_ranks_made_elsewhere_must_fit_the_rows(model: DeclarationTableModel) -> None:
    ranks = collation_ranks(ROWS)
    model.set_rows(ROWS, ranks)
    assert model.index(0, COL_CENTER).data() == ROWS[0].center_name
    with pytest.raises(ValueError):
        model.set_rows(ROWS[:2], ranks)


def test_the_updated_column_sorts_by_time(model: DeclarationTableModel) -> None:
    early = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    late = datetime(2026, 11, 2, 3, 4, tzinfo=UTC)
    model.set_rows([row(1, updated=late), row(2, updated=early), row(3)])
    proxy = DeclarationFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(COL_UPDATED, Qt.SortOrder.AscendingOrder)
    assert shown(proxy) == [3, 2, 1]


def test_years_and_statuses_for_the_drop_downs(model: DeclarationTableModel) -> None:
    assert model.years() == [2027, 2026, 2025]
    assert model.statuses(with_discarded=False) == [
        ("draft", "草稿", 2),
        ("submitted", "已提交", 1),
        ("decided", "已办结", 1),
        ("withdrawn", "已撤回", 1),
    ]
    assert ("discarded", "已作废", 1) in model.statuses(with_discarded=True)
