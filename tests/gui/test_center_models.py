"""The 中心 list model and its filter proxy."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from lzcenter_desktop.services.dto import CenterRow
from lzcenter_desktop.ui.models.centers import (
    ALL_STATUSES,
    ALL_VALUES,
    COL_DIRECTOR,
    COL_DISTRICT,
    COL_NAME,
    COL_RECOGNIZED_ON,
    COL_STATUS,
    COLUMN_COUNT,
    CenterFilterProxy,
    CenterIdRole,
    CenterRowRole,
    CenterTableModel,
    collation_ranks,
    filter_terms,
    format_date,
)


def row(
    id: int,
    name: str,
    *,
    host: str = "柳州某某有限公司",
    district: str = "柳北区",
    industry: str = "汽车",
    status: str = "已认定",
    recognized_on: date | None = date(2023, 5, 1),
    director: str | None = "张三",
) -> CenterRow:
    return CenterRow(
        id=id,
        name=name,
        host=host,
        district=district,
        industry=industry,
        status=status,
        status_code={"已认定": "recognised", "已撤销": "revoked"}.get(status, "other"),
        recognized_on=recognized_on,
        director=director,
    )


ROWS = [
    row(1, "柳州汽车轻量化工程技术研究中心", host="上汽通用五菱汽车股份有限公司", district="柳南区"),
    row(
        2,
        "柳州螺蛳粉工程技术研究中心",
        host="广西螺霸王食品有限公司",
        district="柳江区",
        industry="食品",
        status="已撤销",
        recognized_on=date(2019, 12, 3),
        director=None,
    ),
    row(
        3,
        "柳州工程机械智能控制工程技术研究中心",
        host="广西柳工机械股份有限公司",
        district="柳北区",
        industry="机械装备",
        recognized_on=None,
    ),
    row(
        4,
        "柳州新材料ABC工程技术研究中心",
        host="柳州钢铁股份有限公司",
        district="柳北区",
        industry="新材料",
        recognized_on=date(2026, 11, 26),
    ),
]


@pytest.fixture
def model() -> CenterTableModel:
    return CenterTableModel(ROWS)


@pytest.fixture
def proxy(model: CenterTableModel) -> CenterFilterProxy:
    p = CenterFilterProxy()
    p.setSourceModel(model)
    return p


def visible_ids(proxy: CenterFilterProxy) -> list[int]:
    return [proxy.index(r, 0).data(CenterIdRole) for r in range(proxy.rowCount())]


def test_model_passes_qt_model_tester(qtmodeltester, model: CenterTableModel) -> None:
    qtmodeltester.check(model)


def test_empty_model_passes_qt_model_tester(qtmodeltester) -> None:
    qtmodeltester.check(CenterTableModel([]))


def test_proxy_passes_qt_model_tester_while_filtering_and_sorting(
    qtmodeltester, proxy: CenterFilterProxy
) -> None:
    qtmodeltester.check(proxy, force_py=False)
    proxy.set_filter_text("柳北")
    proxy.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    proxy.set_status_filter("已认定")
    proxy.set_filter_text("")
    qtmodeltester.check(proxy, force_py=False)


def test_cells_headers_and_roles(model: CenterTableModel) -> None:
    assert model.rowCount() == 4
    assert model.columnCount() == COLUMN_COUNT
    assert model.headerData(COL_NAME, Qt.Orientation.Horizontal) == "中心名称"
    assert model.headerData(COL_STATUS, Qt.Orientation.Horizontal) == "状态"
    assert model.index(0, COL_NAME).data() == "柳州汽车轻量化工程技术研究中心"
    assert model.index(1, COL_STATUS).data() == "已撤销"
    assert model.index(1, COL_RECOGNIZED_ON).data() == "2019-12-03"
    assert model.index(2, COL_RECOGNIZED_ON).data() == ""  # no date yet: an empty cell, not "None"
    assert model.index(1, COL_DIRECTOR).data() == ""
    assert model.index(3, COL_NAME).data(CenterIdRole) == 4
    assert model.index(3, COL_DISTRICT).data(CenterRowRole) is ROWS[3]
    assert model.data(QModelIndex()) is None
    # Child rows do not exist in a flat table.
    assert model.rowCount(model.index(0, 0)) == 0


def test_dates_are_written_iso() -> None:
    assert format_date(date(2026, 11, 26)) == "2026-11-26"
    assert format_date(None) == ""


def test_set_rows_replaces_the_rows(model: CenterTableModel, qtbot) -> None:
    with qtbot.waitSignal(model.modelReset):
        model.set_rows(ROWS[:2])
    assert model.rowCount() == 2
    assert model.statuses() == ["已认定", "已撤销"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [1, 2, 3, 4]),
        ("   ", [1, 2, 3, 4]),
        ("螺蛳粉", [2]),  # name
        ("柳工", [3]),  # host
        ("柳北区", [3, 4]),  # district
        ("食品", [2]),  # industry
        ("已撤销", [2]),  # status
        ("柳北 新材料", [4]),  # AND of two terms in two fields
        ("柳北\u3000机械", [3]),  # a full-width space separates terms too
        ("柳北 螺蛳粉", []),  # both must match
        ("abc", [4]),  # case-insensitive
        ("ABC", [4]),
        ("不存在的中心", []),
    ],
)
def test_filter_matches_every_term(proxy: CenterFilterProxy, text: str, expected: list[int]) -> None:
    proxy.set_filter_text(text)
    assert visible_ids(proxy) == expected


def test_filter_does_not_search_the_director(proxy: CenterFilterProxy) -> None:
    proxy.set_filter_text("张三")
    assert visible_ids(proxy) == []


def test_filter_does_not_match_across_field_boundaries(proxy: CenterFilterProxy) -> None:
    # Row 3 ends its district with "区" and its industry starts with "机": "区机" is in no field.
    proxy.set_filter_text("区机")
    assert visible_ids(proxy) == []


def test_status_filter_combines_with_text(proxy: CenterFilterProxy) -> None:
    proxy.set_status_filter("已认定")
    assert visible_ids(proxy) == [1, 3, 4]
    proxy.set_filter_text("柳北")
    assert visible_ids(proxy) == [3, 4]
    proxy.set_status_filter("已撤销")
    assert visible_ids(proxy) == []
    proxy.set_filter_text("")
    assert visible_ids(proxy) == [2]
    proxy.set_status_filter(ALL_STATUSES)
    assert visible_ids(proxy) == [1, 2, 3, 4]


def test_counts(proxy: CenterFilterProxy) -> None:
    proxy.set_filter_text("柳北")
    assert proxy.total_count() == 4
    assert proxy.visible_count() == 2
    assert proxy.row_for_proxy_row(1) is ROWS[3]
    assert proxy.row_for_proxy_row(2) is None
    assert proxy.row_for_proxy_row(-1) is None


def test_filter_survives_a_reload_of_the_rows(proxy: CenterFilterProxy, model: CenterTableModel) -> None:
    proxy.set_filter_text("柳北")
    model.set_rows([*ROWS, row(5, "柳州北部湾柳北工程技术研究中心", district="柳北区")])
    assert visible_ids(proxy) == [3, 4, 5]
    model.set_rows(ROWS[:2])
    assert visible_ids(proxy) == []


def test_sort_by_name_is_pinyin_order_and_back(proxy: CenterFilterProxy) -> None:
    # 工程机械 (gong) < 螺蛳粉 (luo) < 汽车 (qi) < 新材料 (xin); code-point order would differ.
    proxy.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    assert visible_ids(proxy) == [3, 2, 1, 4]
    proxy.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert visible_ids(proxy) == [4, 1, 2, 3]


CITIES = ["崇左", "百色", "梧州", "北海", "南宁", "桂林", "柳州"]
PINYIN_CITIES = ["百色", "北海", "崇左", "桂林", "柳州", "南宁", "梧州"]


def test_districts_sort_by_pinyin_not_by_code_point() -> None:
    assert sorted(CITIES) != PINYIN_CITIES  # code-point order is not what clerks expect
    model = CenterTableModel([row(i, f"中心{i}", district=d) for i, d in enumerate(CITIES, 1)])
    proxy = CenterFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(COL_DISTRICT, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, COL_DISTRICT).data() for r in range(proxy.rowCount())] == PINYIN_CITIES
    proxy.sort(COL_DISTRICT, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, COL_DISTRICT).data() for r in range(proxy.rowCount())] == PINYIN_CITIES[::-1]
    assert model.districts() == PINYIN_CITIES


def test_numbers_inside_names_sort_by_value() -> None:
    model = CenterTableModel([row(1, "第10批中心"), row(2, "第2批中心"), row(3, "第9批中心")])
    model.sort(COL_NAME)
    assert [r.id for r in model.rows] == [2, 3, 1]


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_empty_directors_sort_last_in_both_directions(order: Qt.SortOrder) -> None:
    model = CenterTableModel(
        [row(1, "甲", director=None), row(2, "乙", director="张三"), row(3, "丙", director="安娜")]
    )
    model.sort(COL_DIRECTOR, order)
    ascending = order == Qt.SortOrder.AscendingOrder
    assert [r.id for r in model.rows] == ([3, 2, 1] if ascending else [2, 3, 1])


def test_sort_ranks_are_made_once_per_column_and_set_of_rows(monkeypatch) -> None:
    from lzcenter_desktop.ui.models import centers

    model = CenterTableModel()
    calls: list[int] = []
    real = centers.column_ranks
    precomputed = collation_ranks(ROWS)  # as the loading worker makes them

    def counting(rows, column, collator=None):  # type: ignore[no-untyped-def]
        calls.append(column)
        return real(rows, column, collator)

    monkeypatch.setattr(centers, "column_ranks", counting)
    model.set_rows(ROWS)
    model.sort(COL_NAME)
    model.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    model.sort(COL_DISTRICT)
    model.sort(COL_NAME)
    model.sort(COL_RECOGNIZED_ON)  # dates sort as their ISO text: no collation
    assert calls == [COL_NAME, COL_DISTRICT]
    assert [r.id for r in model.rows] == [2, 1, 4, 3]
    # New rows: new ranks. Ranks made elsewhere (the loading worker) are used as given.
    model.set_rows(ROWS)
    model.sort(COL_NAME)
    assert calls == [COL_NAME, COL_DISTRICT, COL_NAME]
    model.set_rows(ROWS, ranks=precomputed)
    model.sort(COL_NAME)
    model.sort(COL_DISTRICT)
    assert calls == [COL_NAME, COL_DISTRICT, COL_NAME]
    # 柳北区 (bei) < 柳江区 (jiang) < 柳南区 (nan); equal districts keep their name order.
    assert [r.id for r in model.rows] == [3, 4, 2, 1]


def test_ranks_made_elsewhere_must_match_the_rows() -> None:
    model = CenterTableModel()
    ranks = collation_ranks(ROWS)
    with pytest.raises(ValueError):
        model.set_rows(ROWS[:3], ranks=ranks)
    ranks.pop(COL_NAME)
    with pytest.raises(ValueError):
        model.set_rows(ROWS, ranks=ranks)


def test_rows_with_equal_text_keep_equal_ranks() -> None:
    ranks = collation_ranks([row(1, "甲", district="柳北区"), row(2, "乙", district="柳北区")])
    assert ranks[COL_DISTRICT][0] == ranks[COL_DISTRICT][1]


def test_district_and_industry_filters_combine_with_text_and_status(proxy: CenterFilterProxy) -> None:
    proxy.set_district_filter("柳北区")
    assert visible_ids(proxy) == [3, 4]
    proxy.set_industry_filter("新材料")
    assert visible_ids(proxy) == [4]
    proxy.set_filter_text("钢铁")
    assert visible_ids(proxy) == [4]
    proxy.set_filter_text("柳工")
    assert visible_ids(proxy) == []
    proxy.set_filter_text("")
    proxy.set_industry_filter(ALL_VALUES)
    proxy.set_status_filter("已撤销")
    assert visible_ids(proxy) == []
    proxy.set_district_filter("柳江区")
    assert visible_ids(proxy) == [2]
    assert proxy.has_filter()
    proxy.clear_filters()
    assert not proxy.has_filter()
    assert visible_ids(proxy) == [1, 2, 3, 4]
    assert (proxy.filter_text, proxy.status_filter, proxy.district_filter, proxy.industry_filter) == (
        "",
        "",
        "",
        "",
    )


def test_model_lists_the_industries_present(model: CenterTableModel) -> None:
    # 机械装备 (ji) < 汽车 (qi) < 食品 (shi) < 新材料 (xin)
    assert model.industries() == ["机械装备", "汽车", "食品", "新材料"]


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_sort_by_date_puts_empty_dates_last(proxy: CenterFilterProxy, order: Qt.SortOrder) -> None:
    proxy.sort(COL_RECOGNIZED_ON, order)
    dates = [proxy.index(r, COL_RECOGNIZED_ON).data() for r in range(proxy.rowCount())]
    assert dates[-1] == ""
    expected = sorted(
        ["2023-05-01", "2019-12-03", "2026-11-26"], reverse=order == Qt.SortOrder.DescendingOrder
    )
    assert dates[:-1] == expected


def test_sort_keeps_the_filter_and_the_selected_row(proxy: CenterFilterProxy) -> None:
    proxy.set_filter_text("柳北")
    held = QPersistentModelIndex(proxy.index(0, COL_NAME))
    held_id = held.data(CenterIdRole)
    proxy.sort(COL_RECOGNIZED_ON, Qt.SortOrder.DescendingOrder)
    assert sorted(visible_ids(proxy)) == [3, 4]
    assert visible_ids(proxy) == [4, 3]
    assert held.isValid()
    assert held.data(CenterIdRole) == held_id


def test_filter_terms() -> None:
    assert filter_terms("  柳北　ABC  x ") == ["柳北", "abc", "x"]
    assert filter_terms("") == []


def test_proxy_refuses_another_model() -> None:
    from PySide6.QtGui import QStandardItemModel

    with pytest.raises(TypeError):
        CenterFilterProxy().setSourceModel(QStandardItemModel())


WORDS = ["柳州", "柳北区", "汽车", "食品", "已认定", "已撤销", "ABC", "abc", "机械", "中心", "有限公司", "x"]


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.builds(
            row,
            id=st.integers(1, 10_000),
            name=st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map("".join),
            host=st.sampled_from(WORDS),
            district=st.sampled_from(["柳北区", "鱼峰区", ""]),
            industry=st.sampled_from(["汽车", "食品", "机械"]),
            status=st.sampled_from(["已认定", "已撤销"]),
        ),
        max_size=30,
    ),
    terms=st.lists(st.sampled_from([*WORDS, "柳", "区", "认"]), max_size=3),
    status=st.sampled_from([ALL_STATUSES, "已认定", "已撤销"]),
    district=st.sampled_from([ALL_VALUES, "柳北区", "鱼峰区"]),
    industry=st.sampled_from([ALL_VALUES, "汽车", "食品"]),
)
def test_filter_equals_a_plain_search(
    rows: list[CenterRow], terms: list[str], status: str, district: str, industry: str
) -> None:
    model = CenterTableModel(rows)
    proxy = CenterFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter_text(" ".join(terms))
    proxy.set_status_filter(status)
    proxy.set_district_filter(district)
    proxy.set_industry_filter(industry)

    def matches(r: CenterRow) -> bool:
        fields = [r.name, r.host, r.district, r.industry, r.status]
        return (
            (status == ALL_STATUSES or r.status == status)
            and (not district or r.district == district)
            and (not industry or r.industry == industry)
        ) and all(any(t.lower() in f.lower() for f in fields) for t in terms)

    assert [proxy.index(i, 0).data(CenterRowRole) for i in range(proxy.rowCount())] == [
        r for r in rows if matches(r)
    ]
