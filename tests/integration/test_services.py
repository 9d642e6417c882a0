"""Services: every write is audited in its own transaction; bad input is a Chinese ServiceError and
changes nothing; list and detail read what was written."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import func, select

from lzcenter_desktop.domain.credit_code import check_char
from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS, RuleSettings
from lzcenter_desktop.services import audit, backup, centers, organizations, rulesets
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.storage.models import AuditEntry, Center, metadata
from tests.review_records import take_steps


def code(prefix17: str) -> str:
    return prefix17 + check_char(prefix17)


HOST_CODE = code("91450205MA5N8R2T4")
UNI_CODE = code("12450000MB1234567")


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(str(tmp_path / "s.sqlite"), operator="李科员")
    yield context
    context.db.dispose()


@dataclass
class World:
    host: int
    uni: int
    center: int


@pytest.fixture
def world(ctx: AppContext) -> World:
    host = organizations.create_organization(
        ctx,
        name="柳州鑫桥汽车零部件有限公司",
        kind="enterprise",
        credit_code=HOST_CODE,
        competent_department="柳北区科技局",
    )
    uni = organizations.create_organization(ctx, name="桂中理工大学", kind="university", credit_code=UNI_CODE)
    center = centers.create_center(
        ctx,
        name_zh="柳州汽车轻量化车身工程技术研究中心（柳州鑫桥汽车零部件有限公司）",
        name_en="Liuzhou Lightweight Vehicle Body Research Center of Engineering Technology",
        research_direction="车身结构轻量化",
        host_id=host,
        on=date(2026, 3, 1),
        industries=["汽车", "新材料"],
        co_builder_ids=[uni],
    )
    return World(host, uni, center)


def _to_public_notice(ctx: AppContext, cid: int) -> None:
    take_steps(
        ctx,
        cid,
        [
            ("submitted", date(2026, 5, 20)),
            ("under_review", date(2026, 7, 1)),
            ("proposed", date(2026, 9, 20)),
            ("public_notice", date(2026, 10, 10)),
        ],
    )


def _snapshot(ctx: AppContext) -> dict[str, int]:
    with ctx.db.session() as s:
        return {
            n: int(s.execute(select(func.count()).select_from(t)).scalar_one())
            for n, t in metadata.tables.items()
        }


# Every public write function of the services, with valid arguments, and the table it must audit.
WRITES: dict[str, tuple[Callable[[AppContext, World], object], str]] = {
    "organizations.create_organization": (
        lambda c, w: organizations.create_organization(c, name="柳州恒锐液压科技有限公司", kind="enterprise"),
        "organization",
    ),
    "organizations.update_organization": (
        lambda c, w: organizations.update_organization(
            c, organization_id=w.host, competent_department="柳东新区科技局"
        ),
        "organization",
    ),
    "organizations.retire_organization": (
        lambda c, w: organizations.retire_organization(c, organization_id=w.uni, on=date(2026, 6, 1)),
        "organization",
    ),
    "organizations.file_cto": (
        lambda c, w: organizations.file_cto(
            c, organization_id=w.host, name="黄工", filing_no="LZCTO-2025-003", filing_date=date(2025, 3, 12)
        ),
        "cto_filing",
    ),
    "centers.create_center": (
        lambda c, w: centers.create_center(
            c,
            name_zh="柳州精密减速器工程技术研究中心",
            host_id=w.host,
            on=date(2026, 3, 2),
            industries=["机械"],
        ),
        "center",
    ),
    "centers.update_center": (
        lambda c, w: (
            centers.change_state(
                c, center_id=w.center, to_state="submitted", on=date(2026, 5, 20), reason="提交"
            ),
            centers.update_center(
                c, center_id=w.center, research_direction="车身轻量化与连接工艺", reason="更正研发方向"
            ),
        ),
        "center",
    ),
    "centers.change_state": (
        lambda c, w: centers.change_state(
            c, center_id=w.center, to_state="submitted", on=date(2026, 5, 20), reason="提交申请书"
        ),
        "center_state_change",
    ),
    "centers.recognise": (
        lambda c, w: (
            _to_public_notice(c, w.center),
            centers.recognise(
                c,
                center_id=w.center,
                on=date(2026, 11, 20),
                document_no="柳科发〔2026〕12号",
                plaque_no="LZ-2026-001",
            ),
        ),
        "recognition",
    ),
    "rulesets.save_settings": (
        lambda c, w: rulesets.save_settings(c, year=2026, settings=DEFAULT_SETTINGS, note="年度参数"),
        "rule_set_version",
    ),
}


@pytest.mark.parametrize("action", sorted(WRITES))
def test_every_service_write_is_audited(ctx: AppContext, world: World, action: str) -> None:
    call, table = WRITES[action]
    with ctx.db.session() as s:
        before_max = s.execute(select(func.max(AuditEntry.id))).scalar_one() or 0
    call(ctx, world)
    with ctx.db.session() as s:
        new = s.execute(select(AuditEntry).where(AuditEntry.id > before_max)).scalars().all()  # type: ignore[operator]
    mine = [e for e in new if e.action.split("：", 1)[0] == action]  # "action：reason" keeps a reason
    assert mine, f"{action} wrote no audit entry"
    assert all(e.operator == "李科员" for e in new)
    assert any(e.entity == table for e in mine)
    assert len({e.txn for e in mine}) == 1  # one transaction
    for e in mine:
        assert e.entity_id
        assert e.after is not None and json.loads(e.after)
        assert (e.before is None) == (e.operation == "insert")


@pytest.mark.parametrize(
    ("call", "field", "message"),
    [
        (
            lambda c, w: organizations.create_organization(c, name=" ", kind="enterprise"),
            "单位名称",
            "请填写单位名称",
        ),
        (
            lambda c, w: organizations.create_organization(c, name="某公司", kind="company"),
            "单位类型",
            "单位类型“company”无效",
        ),
        (
            lambda c, w: organizations.create_organization(
                c, name="某公司", kind="enterprise", credit_code=HOST_CODE
            ),
            "统一社会信用代码",
            "已登记为“柳州鑫桥汽车零部件有限公司”",
        ),
        (
            lambda c, w: organizations.create_organization(
                c,
                name="某公司",
                kind="enterprise",
                credit_code=HOST_CODE[:17] + ("0" if HOST_CODE[17] != "0" else "1"),
            ),
            "统一社会信用代码",
            "校验位错误",
        ),
        (
            lambda c, w: centers.create_center(
                c, name_zh="柳州汽车研究中心", host_id=w.host, on=date(2026, 3, 1), industries=["汽车"]
            ),
            "中心名称",
            "第二十六条",
        ),
        (
            lambda c, w: centers.create_center(
                c, name_zh="柳州汽车工程技术研究中心", host_id=w.host, on=date(2026, 3, 1), industries=[]
            ),
            "重点产业领域",
            "至少选择一个",
        ),
        (
            lambda c, w: centers.create_center(
                c,
                name_zh="柳州汽车工程技术研究中心",
                host_id=w.host,
                on=date(2026, 3, 1),
                industries=["汽车"],
                co_builder_ids=[w.host],
            ),
            "共建单位",
            "不能与依托单位相同",
        ),
        (
            lambda c, w: centers.change_state(
                c, center_id=w.center, to_state="recognised", on=date(2026, 5, 1), reason="x"
            ),
            "目标状态",
            "不能将中心状态从“草稿”改为“已认定”",
        ),
        (
            lambda c, w: centers.change_state(
                c, center_id=w.center, to_state="submitted", on=date(2026, 5, 1), reason=" "
            ),
            "变更原因",
            "请填写状态变更的原因",
        ),
        (
            lambda c, w: centers.change_state(
                c, center_id=w.center, to_state="submitted", on=date(2026, 2, 28), reason="x"
            ),
            "目标状态",
            "早于",
        ),
        (
            lambda c, w: centers.change_state(
                c, center_id=w.center, to_state="bogus", on=date(2026, 5, 1), reason="x"
            ),
            "目标状态",
            "中心状态“bogus”无效",
        ),
        (
            lambda c, w: rulesets.save_settings(c, year=1999, settings=DEFAULT_SETTINGS, note=""),
            "年度",
            "2000—2100",
        ),
        (
            lambda c, w: rulesets.save_settings(c, year=2101, settings=DEFAULT_SETTINGS, note=""),
            "年度",
            "2000—2100",
        ),
    ],
)
def test_bad_input_is_a_chinese_error_naming_the_field_and_changes_nothing(
    ctx: AppContext, world: World, call: Callable[[AppContext, World], object], field: str, message: str
) -> None:
    before = _snapshot(ctx)
    with pytest.raises(ServiceError) as info:
        call(ctx, world)
    assert info.value.field == field
    assert message in str(info.value)
    assert _snapshot(ctx) == before


@pytest.mark.parametrize(("year", "ok"), [(2000, True), (2100, True)])
def test_rule_set_year_bounds_are_inclusive(ctx: AppContext, year: int, ok: bool) -> None:
    assert rulesets.save_settings(ctx, year=year, settings=DEFAULT_SETTINGS, note="") == 1


def test_missing_centre_is_not_found(ctx: AppContext) -> None:
    with pytest.raises(NotFound, match="找不到编号为 999 的中心"):
        centers.get_center(ctx, 999)
    with pytest.raises(NotFound):
        centers.change_state(ctx, center_id=999, to_state="submitted", on=date(2026, 1, 1), reason="x")


def test_list_and_detail(ctx: AppContext, world: World) -> None:
    _to_public_notice(ctx, world.center)
    centers.recognise(
        ctx,
        center_id=world.center,
        on=date(2026, 11, 20),
        document_no="柳科发〔2026〕12号",
        plaque_no="LZETRC-2026-001",
        certificate_no="C-001",
    )
    rows = centers.list_centers(ctx)
    assert len(rows) == 1
    row = rows[0]
    assert (row.host, row.district, row.industry, row.status, row.status_code) == (
        "柳州鑫桥汽车零部件有限公司",
        "柳北区",
        "汽车",
        "已认定",
        "recognised",
    )
    assert row.recognized_on == date(2026, 11, 20)
    assert row.director is None
    detail = centers.get_center(ctx, world.center)
    assert detail.industries == ("汽车", "新材料")
    assert detail.co_builders == ("桂中理工大学",)
    assert detail.host_kind == "企业"
    assert detail.host_credit_code == HOST_CODE
    assert (detail.plaque_no, detail.certificate_no, detail.recognition_document_no) == (
        "LZETRC-2026-001",
        "C-001",
        "柳科发〔2026〕12号",
    )
    states = [(h.from_state, h.to_state) for h in detail.history]
    assert states == [
        (None, "草稿"),
        ("草稿", "已提交"),
        ("已提交", "评审中"),
        ("评审中", "拟认定"),
        ("拟认定", "公示中"),
        ("公示中", "已认定"),
    ]
    assert [h.on for h in detail.history] == sorted(h.on for h in detail.history)
    assert detail.history[-1].document_no == "柳科发〔2026〕12号"
    assert all(h.operator == "李科员" for h in detail.history)


def test_plaque_numbers_are_unique(ctx: AppContext, world: World) -> None:
    other = centers.create_center(
        ctx,
        name_zh="柳州精密减速器工程技术研究中心",
        host_id=world.host,
        on=date(2026, 3, 2),
        industries=["机械"],
    )
    for cid in (world.center, other):
        _to_public_notice(ctx, cid)
    centers.recognise(
        ctx, center_id=world.center, on=date(2026, 11, 20), document_no="柳科发〔2026〕12号", plaque_no="P1"
    )
    with pytest.raises(ServiceError, match="牌匾编号“P1”已被其他中心使用"):
        centers.recognise(
            ctx, center_id=other, on=date(2026, 11, 20), document_no="柳科发〔2026〕12号", plaque_no="P1"
        )
    assert centers.get_center(ctx, other).row.status_code == "public_notice"


def test_update_center_industries_never_deletes_rows(ctx: AppContext, world: World) -> None:
    centers.change_state(
        ctx, center_id=world.center, to_state="submitted", on=date(2026, 5, 20), reason="提交"
    )
    centers.update_center(ctx, center_id=world.center, industries=["机械"], reason="更正产业领域")
    assert centers.get_center(ctx, world.center).industries[0] == "机械"
    assert [i for i in centers.get_center(ctx, world.center).industries if i] == ["机械"]


def test_nothing_is_hard_deleted_by_any_service(ctx: AppContext, world: World) -> None:
    """Retiring and state changes keep every row; counts only ever grow."""
    before = _snapshot(ctx)
    organizations.retire_organization(ctx, organization_id=world.uni, on=date(2026, 6, 1))
    centers.change_state(
        ctx, center_id=world.center, to_state="submitted", on=date(2026, 5, 20), reason="提交"
    )
    centers.update_center(ctx, center_id=world.center, industries=["汽车"], reason="更正产业领域")
    after = _snapshot(ctx)
    assert all(after[t] >= n for t, n in before.items())
    with ctx.db.session() as s:
        assert s.execute(select(func.count()).select_from(Center)).scalar_one() == 1


def test_retiring_twice_is_refused(ctx: AppContext, world: World) -> None:
    organizations.retire_organization(ctx, organization_id=world.uni, on=date(2026, 6, 1))
    with pytest.raises(ServiceError, match="已停用"):
        organizations.retire_organization(ctx, organization_id=world.uni, on=date(2026, 6, 2))


def test_rule_set_versions(ctx: AppContext) -> None:
    assert rulesets.settings_for_year(ctx, 2026) == DEFAULT_SETTINGS
    assert rulesets.call_years(ctx) == []
    strict = RuleSettings(min_staff=10)
    assert rulesets.save_settings(ctx, year=2025, settings=strict, note="2025 严格") == 1
    assert rulesets.settings_for_year(ctx, 2024) == DEFAULT_SETTINGS  # nothing earlier
    assert rulesets.settings_for_year(ctx, 2025) == strict
    assert rulesets.settings_for_year(ctx, 2026) == strict  # the nearest earlier year
    assert rulesets.save_settings(ctx, year=2026, settings=DEFAULT_SETTINGS, note="恢复默认") == 1
    assert rulesets.save_settings(ctx, year=2026, settings=RuleSettings(min_staff=9), note="第二版") == 2
    assert rulesets.settings_for_year(ctx, 2026).min_staff == 9
    versions = rulesets.list_versions(ctx, 2026)
    assert [(v.version_no, v.note, v.operator) for v in versions] == [
        (1, "恢复默认", "李科员"),
        (2, "第二版", "李科员"),
    ]
    assert versions[0].settings == DEFAULT_SETTINGS  # version 1 was not overwritten
    assert rulesets.call_years(ctx) == [2025, 2026]


def test_list_audit_newest_first_and_filtered(ctx: AppContext, world: World) -> None:
    entries = audit.list_audit(ctx, limit=3)
    assert len(entries) == 3
    assert entries[0].at >= entries[-1].at
    only = audit.list_audit(ctx, entity="organization")
    assert {e.entity for e in only} == {"organization"} and len(only) == 2
    assert audit.list_audit(ctx, entity="organization", entity_id=str(world.uni))[0].entity_id == str(
        world.uni
    )


@pytest.mark.sqlite_only  # a backup is a copy of the SQLite file (a server's is refused, below)
def test_backup_now(ctx: AppContext, world: World, tmp_path: Path) -> None:
    default = backup.backup_now(ctx)
    assert default.parent == tmp_path / "backups" and default.exists()
    folder = tmp_path / "usb"
    folder.mkdir()
    into_folder = backup.backup_now(ctx, folder)
    assert into_folder.parent == folder
    explicit = backup.backup_now(ctx, tmp_path / "x" / "copy.sqlite")
    assert explicit == tmp_path / "x" / "copy.sqlite"
    copy = open_app(str(explicit))
    try:
        assert [r.id for r in centers.list_centers(copy)] == [world.center]
    finally:
        copy.db.dispose()
    with pytest.raises(ServiceError, match="不能与数据库文件相同"):
        backup.backup_now(ctx, tmp_path / "s.sqlite")


def test_backup_of_a_server_database_is_refused() -> None:
    memory = open_app("sqlite://")
    try:
        with pytest.raises(ServiceError, match="SQLite"):
            backup.backup_now(memory)
    finally:
        memory.db.dispose()
