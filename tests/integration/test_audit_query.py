"""The audit viewer's read (services/audit_query.py) and export (services/audit_export.py) on a
real database: each filter alone and combined, the date range at its boundaries (the day before,
on and after an entry), paging, the export read back with openpyxl (a formula-like text stays text),
and the 评审专家 refused by the service once sign-in is on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lzcenter_desktop.services import users
from lzcenter_desktop.services.audit_export import HEADER, write_audit_xlsx
from lzcenter_desktop.services.audit_query import (
    AuditFilter,
    filter_choices,
    query_audit,
    verification_text,
    verify,
)
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.organizations import create_organization, update_organization
from lzcenter_desktop.services.permissions import PermissionRefused
from tests import db_backend
from tests.signin_records import cheap_hashing, with_users

FORMULA = '=HYPERLINK("http://example.com","点我")'
DAY = dt.date(2026, 3, 10)


def _stored(local: dt.datetime) -> str:
    """A local wall-clock time as the program stores ``audit_entry.at`` (naive UTC, microseconds)."""
    return (
        local.astimezone().astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    )


def _set_at(path: Path, entry_id: int, local: dt.datetime) -> None:
    con = db_backend.connect(path)
    try:
        con.execute("UPDATE audit_entry SET at = ? WHERE id = ?", (_stored(local), entry_id))
        con.commit()
    finally:
        con.close()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "audit.sqlite"


@pytest.fixture
def ctx(path: Path) -> Iterator[AppContext]:
    """Two operators: 覃科长 makes 柳州甲 and 柳州乙 and renames 乙; 李经办 makes the formula-named one."""
    first = open_app(str(path), operator="覃科长")
    a = create_organization(first, name="柳州甲单位", kind="enterprise")
    b = create_organization(first, name="柳州乙单位", kind="enterprise")
    update_organization(first, organization_id=b, name="柳州乙单位（更名）")
    second = open_app(str(path), operator="李经办")
    create_organization(second, name=FORMULA, kind="other")
    second.db.dispose()
    first.ids = (a, b)  # type: ignore[attr-defined]
    yield first
    first.db.dispose()


def _all(ctx: AppContext, flt: AuditFilter) -> list[tuple[str, str, str]]:
    page = query_audit(ctx, flt, limit=5000)
    assert page.total == len(page.rows)
    return [(r.operator, r.entity, r.entity_id) for r in page.rows]


def test_no_filter_lists_every_entry_newest_first(ctx: AppContext) -> None:
    page = query_audit(ctx)
    ids = [r.entry_id for r in page.rows]
    assert ids == sorted(ids, reverse=True)
    assert page.total == 4
    assert page.rows[0].operator == "李经办"
    assert page.rows[0].entity_text == "单位" and page.rows[0].operation_text == "新增"


def test_each_filter_alone(ctx: AppContext) -> None:
    _a, b = ctx.ids  # type: ignore[attr-defined]
    assert {e for _o, e, _i in _all(ctx, AuditFilter(entity="organization"))} == {"organization"}
    assert len(_all(ctx, AuditFilter(entity="organization"))) == 4
    assert _all(ctx, AuditFilter(entity="center")) == []
    assert [i for _o, _e, i in _all(ctx, AuditFilter(entity_id=str(b)))] == [str(b), str(b)]
    assert [o for o, _e, _i in _all(ctx, AuditFilter(operator="李经办"))] == ["李经办"]
    assert len(_all(ctx, AuditFilter(operator="覃科长"))) == 3
    assert _all(ctx, AuditFilter(operator="无此人")) == []
    renamed = query_audit(ctx, AuditFilter(text="更名")).rows
    assert [r.operation for r in renamed] == ["update"]
    assert "柳州乙单位 → 柳州乙单位（更名）" in renamed[0].details()
    assert len(query_audit(ctx, AuditFilter(text="update_organization")).rows) == 1  # the action


def test_text_is_literal_not_a_pattern(ctx: AppContext) -> None:
    assert query_audit(ctx, AuditFilter(text="%")).total == 0
    assert query_audit(ctx, AuditFilter(text="柳州_单位")).total == 0
    assert query_audit(ctx, AuditFilter(text="柳州甲单位")).total == 1


def test_filters_combined(ctx: AppContext) -> None:
    _a, b = ctx.ids  # type: ignore[attr-defined]
    assert len(_all(ctx, AuditFilter(entity="organization", entity_id=str(b), operator="覃科长"))) == 2
    assert _all(ctx, AuditFilter(entity="organization", entity_id=str(b), operator="李经办")) == []
    assert len(_all(ctx, AuditFilter(operator="覃科长", text="更名"))) == 1
    assert _all(ctx, AuditFilter(operator="李经办", text="更名")) == []


def test_date_range_boundaries(ctx: AppContext, path: Path) -> None:
    newest = query_audit(ctx).rows[0].entry_id
    others = [r.entry_id for r in query_audit(ctx).rows[1:]]
    _set_at(path, newest, dt.datetime.combine(DAY, dt.time(23, 59, 59)))  # the last second of the day
    for other in others:
        _set_at(path, other, dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(0, 0, 0)))
    before, after = DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=1)

    def ids(**days: dt.date) -> list[int]:
        return [r.entry_id for r in query_audit(ctx, AuditFilter(**days)).rows]  # type: ignore[arg-type]

    assert ids(date_from=before, date_to=before) == []
    assert ids(date_from=DAY, date_to=DAY) == [newest]
    assert ids(date_from=after, date_to=after) == sorted(others, reverse=True)
    assert ids(date_to=before) == []
    assert ids(date_to=DAY) == [newest]
    assert len(ids(date_to=after)) == 4
    assert len(ids(date_from=before)) == 4
    assert len(ids(date_from=DAY)) == 4
    assert ids(date_from=after) == sorted(others, reverse=True)
    assert ids(date_from=after + dt.timedelta(days=1)) == []
    with pytest.raises(ServiceError, match="结束日期 2026-03-09 早于开始日期 2026-03-10"):
        query_audit(ctx, AuditFilter(date_from=DAY, date_to=before))


def test_paging(ctx: AppContext) -> None:
    everything = [r.entry_id for r in query_audit(ctx).rows]
    first = query_audit(ctx, limit=3)
    second = query_audit(ctx, offset=3, limit=3)
    beyond = query_audit(ctx, offset=4, limit=3)
    assert [r.entry_id for r in first.rows] + [r.entry_id for r in second.rows] == everything
    assert (len(first.rows), len(second.rows), len(beyond.rows)) == (3, 1, 0)
    assert (first.total, second.total, beyond.total) == (4, 4, 4)
    assert (first.page_no, second.page_no, first.pages) == (1, 2, 2)
    assert query_audit(ctx, limit=4).pages == 1
    assert query_audit(ctx, limit=5).pages == 1


def test_filter_choices(ctx: AppContext) -> None:
    choices = filter_choices(ctx)
    assert choices.entities == (("organization", "单位"),)
    assert choices.operators == ("李经办", "覃科长")


def test_export_reads_back_with_text_kept_as_text(ctx: AppContext, tmp_path: Path) -> None:
    target = tmp_path / "审计.xlsx"
    exported = write_audit_xlsx(ctx, AuditFilter(operator="李经办"), target)
    assert exported.notes == ()
    ws = load_workbook(target).active
    assert ws is not None
    assert "操作人：李经办" in str(ws["A1"].value) and "共 1 条" in str(ws["A1"].value)
    assert tuple(c.value for c in ws[2]) == HEADER
    line = [c.value for c in ws[3]]
    assert line[2:6] == ["李经办", "单位", line[4], "新增"]
    assert ws.max_row == 3
    content = ws.cell(row=3, column=HEADER.index("内容") + 1)
    assert FORMULA in str(content.value)
    formula_cells = [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formula_cells == []
    assert all(c.quotePrefix for row in ws.iter_rows() for c in row if str(c.value or "").startswith("="))


def test_export_of_everything_matches_the_query(ctx: AppContext, tmp_path: Path) -> None:
    target = tmp_path / "all.xlsx"
    write_audit_xlsx(ctx, AuditFilter(), target)
    ws = load_workbook(target).active
    assert ws is not None
    assert [ws.cell(row=r, column=1).value for r in range(3, ws.max_row + 1)] == [
        r.entry_id for r in query_audit(ctx).rows
    ]


def test_a_formula_like_operator_stays_text(ctx: AppContext, path: Path, tmp_path: Path) -> None:
    odd = open_app(str(path), operator="=1+2")
    create_organization(odd, name="柳州丙单位", kind="other")
    odd.db.dispose()
    target = tmp_path / "f.xlsx"
    write_audit_xlsx(ctx, AuditFilter(operator="=1+2"), target)
    ws = load_workbook(target).active
    assert ws is not None and ws.max_row == 3
    cell = ws.cell(row=3, column=HEADER.index("操作人") + 1)
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+2", "s", True)


def test_text_with_quotes_is_found_in_the_content(ctx: AppContext, tmp_path: Path) -> None:
    page = query_audit(ctx, AuditFilter(text=FORMULA))
    assert [r.operator for r in page.rows] == ["李经办"]
    target = tmp_path / "q.xlsx"
    write_audit_xlsx(ctx, AuditFilter(text=FORMULA), target)
    ws = load_workbook(target).active
    assert ws is not None and ws.max_row == 3


def test_verify_and_its_chinese_text(ctx: AppContext, path: Path) -> None:
    result = verify(ctx)
    assert result.ok and "审计链完整：共 4 条记录" in verification_text(result)
    con = db_backend.connect(path)
    try:
        con.execute("UPDATE audit_entry SET operator = '别人' WHERE id = 2")
        con.commit()
    finally:
        con.close()
    broken = verify(ctx)
    assert not broken.ok
    assert verification_text(broken).startswith("审计链校验未通过：第 2 条审计记录")


def test_every_role_but_the_expert_reads_the_trail(
    ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(users, "_hasher", cheap_hashing())
    signed = with_users(ctx)
    for login in ("admin", "clerk", "approver", "reader"):
        assert query_audit(signed[login]).total > 0
        assert filter_choices(signed[login]).operators
    expert = signed["expert"]
    for call in (
        lambda: query_audit(expert),
        lambda: filter_choices(expert),
        lambda: verify(expert),
        lambda: write_audit_xlsx(expert, AuditFilter(), tmp_path / "x.xlsx"),
    ):
        with pytest.raises(PermissionRefused, match=r"评审专家.*不能查看审计日志"):
            call()
    assert not (tmp_path / "x.xlsx").exists()
    with pytest.raises(PermissionRefused, match="请先用本人的账号登录"):
        query_audit(ctx)  # sign-in is on now: the unsigned context is refused
