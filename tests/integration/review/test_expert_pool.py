"""The expert pool (services/review/experts.py) and 回避 computed from the registry
(services/review/conflicts.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, select

from lzcenter_desktop.services import organizations
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.review import experts
from lzcenter_desktop.services.review.conflicts import conflicts_of
from lzcenter_desktop.storage.models import Expert, Organization
from tests.review_fixtures import credit_code, make_call, open_review_db, submit_declaration

REVIEW = dt.date(2026, 7, 15)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_review_db(tmp_path)
    yield context
    context.db.dispose()


def org_named(ctx: AppContext, name: str) -> Organization:
    with ctx.db.session() as s:
        found = s.execute(select(Organization).where(col(Organization.name) == name)).scalars().all()
    assert len(found) == 1, found
    return found[0]


# --- the pool ---------------------------------------------------------------------------------------


def test_add_an_expert_linked_to_the_registry_by_credit_code(ctx: AppContext) -> None:
    code = credit_code(7, org_type="12")
    expert_id = experts.create_expert(
        ctx,
        name="张三",
        unit="广西测试研究院",
        credit_code=code.lower(),
        specialty="智能制造",
        title="正高级工程师",
        phone="0772-3100001",
        email="zhang@example.com",
    )
    view = experts.get_expert(ctx, expert_id)
    assert (view.name, view.unit, view.credit_code, view.specialty, view.title) == (
        "张三",
        "广西测试研究院",
        code,
        "智能制造",
        "正高级工程师",
    )
    assert view.status == "active" and view.status_label == "在库"
    org = org_named(ctx, "广西测试研究院")
    assert org.credit_code == code and org.kind == "institute" and view.organization_id == org.id
    # a second expert of the same unit, named by name only, links the same organization
    other = experts.create_expert(ctx, name="李四", unit=" 广西测试研究院 ")
    assert experts.get_expert(ctx, other).organization_id == org.id


def test_a_unit_known_by_name_gets_its_code_later(ctx: AppContext) -> None:
    first = experts.create_expert(ctx, name="张三", unit="柳州某大学")
    org_id = experts.get_expert(ctx, first).organization_id
    code = credit_code(8, org_type="12")
    second = experts.create_expert(ctx, name="李四", unit="柳州某大学", credit_code=code)
    assert experts.get_expert(ctx, second).organization_id == org_id
    assert org_named(ctx, "柳州某大学").credit_code == code


def test_the_same_expert_twice_is_refused(ctx: AppContext) -> None:
    experts.create_expert(ctx, name="张三", unit="广西测试研究院")
    with pytest.raises(ServiceError, match="专家“张三”（广西测试研究院）已在专家库中") as info:
        experts.create_expert(ctx, name="张三", unit="广西测试研究院")
    assert info.value.field == "姓名"
    experts.create_expert(ctx, name="张三", unit="另一家研究院")  # a namesake elsewhere is someone else


@pytest.mark.parametrize(
    ("phone", "ok"),
    [("123456", False), ("1234567", True), ("+86 (0772) 310-0001", True), ("123456789012345", True),
     ("1234567890123456", False), ("0772-31000a1", False)],
)  # fmt: skip
def test_phone_numbers(ctx: AppContext, phone: str, ok: bool) -> None:
    if ok:
        assert experts.get_expert(ctx, experts.create_expert(ctx, name="张三", phone=phone)).phone == phone
    else:
        with pytest.raises(ServiceError, match=r"电话.*格式不正确") as info:
            experts.create_expert(ctx, name="张三", phone=phone)
        assert info.value.field == "电话"


@pytest.mark.parametrize(
    ("email", "ok"), [("a@b.cn", True), ("a@b", False), ("a b@c.cn", False), ("@c.cn", False)]
)
def test_email_addresses(ctx: AppContext, email: str, ok: bool) -> None:
    if ok:
        experts.create_expert(ctx, name="张三", email=email)
    else:
        with pytest.raises(ServiceError, match=r"邮箱.*格式不正确"):
            experts.create_expert(ctx, name="张三", email=email)


def test_a_bad_credit_code_is_refused_naming_the_field(ctx: AppContext) -> None:
    code = credit_code(9)
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ServiceError) as info:
        experts.create_expert(ctx, name="张三", unit="某公司", credit_code=bad)
    assert info.value.field == "统一社会信用代码"


def test_update_and_retire_never_delete(ctx: AppContext) -> None:
    expert_id = experts.create_expert(ctx, name="张三", unit="广西测试研究院", title="副高级")
    experts.update_expert(ctx, expert_id=expert_id, title="正高级", phone="", unit="柳州另一研究所")
    view = experts.get_expert(ctx, expert_id)
    assert view.title == "正高级" and view.phone is None and view.unit == "柳州另一研究所"
    with pytest.raises(ServiceError, match="请填写停用原因"):
        experts.retire_expert(ctx, expert_id=expert_id, on=dt.date(2026, 1, 1), reason=" ")
    experts.retire_expert(ctx, expert_id=expert_id, on=dt.date(2026, 1, 1), reason="退休")
    assert experts.list_experts(ctx) == []
    [retired] = experts.list_experts(ctx, include_retired=True)
    assert retired.status_label == "已停用" and retired.retired_on == dt.date(2026, 1, 1)
    with pytest.raises(ServiceError, match="已停用"):
        experts.retire_expert(ctx, expert_id=expert_id, on=dt.date(2026, 1, 2), reason="again")
    experts.reactivate_expert(ctx, expert_id=expert_id)
    assert [e.id for e in experts.list_experts(ctx)] == [expert_id]
    with ctx.db.session() as s:
        assert len(s.execute(select(Expert)).scalars().all()) == 1
    with pytest.raises(NotFound):
        experts.get_expert(ctx, 999)


def test_relations_are_recorded_and_withdrawn(ctx: AppContext) -> None:
    expert_id = experts.create_expert(ctx, name="张三", unit="广西测试研究院")
    rid = experts.add_relation(
        ctx,
        expert_id=expert_id,
        kind="employment",
        organization_name="柳州甲公司",
        from_on=dt.date(2020, 1, 1),
        to_on=dt.date(2024, 1, 1),
        relative=True,
    )
    [view] = experts.list_relations(ctx, expert_id=expert_id)
    assert (view.id, view.kind_label, view.relative, view.source_label) == (rid, "任职", True, "专家本人申报")
    assert view.organization_id is None and view.organization_name == "柳州甲公司"
    with pytest.raises(ServiceError, match="关系类型“friend”无效"):
        experts.add_relation(ctx, expert_id=expert_id, kind="friend", organization_name="柳州甲公司")
    with pytest.raises(ServiceError, match="结束日期 2019-12-31 早于开始日期 2020-01-01"):
        experts.add_relation(
            ctx,
            expert_id=expert_id,
            kind="dispute",
            organization_name="柳州甲公司",
            from_on=dt.date(2020, 1, 1),
            to_on=dt.date(2019, 12, 31),
        )
    experts.withdraw_relation(ctx, relation_id=rid, reason="录入错误")
    assert experts.list_relations(ctx, expert_id=expert_id) == []
    assert [r.active for r in experts.list_relations(ctx, expert_id=expert_id, include_withdrawn=True)] == [
        False
    ]


# --- 回避 from the registry ----------------------------------------------------------------------


@pytest.fixture
def decl(ctx: AppContext) -> int:
    """A submitted declaration of 柳州测试1号科技有限公司 with a co-builder and a joint applicant."""
    make_call(ctx)
    return submit_declaration(
        ctx,
        1,
        co_builders=[("柳州共建机械有限公司", credit_code(101))],
        joint_applicants=[("广西联合大学", credit_code(102, org_type="12"))],
    )


def causes(ctx: AppContext, expert_id: int, declaration_id: int, on: dt.date = REVIEW) -> list[str]:
    return [c.cause for c in conflicts_of(ctx, expert_id=expert_id, declaration_id=declaration_id, on=on)]


def test_an_unrelated_expert_has_no_conflict(ctx: AppContext, decl: int) -> None:
    expert_id = experts.create_expert(ctx, name="张三", unit="广西无关研究院")
    assert causes(ctx, expert_id, decl) == []


def test_the_hosts_own_expert(ctx: AppContext, decl: int) -> None:
    expert_id = experts.create_expert(
        ctx, name="张三", unit="柳州测试1号科技有限公司", credit_code=credit_code(1)
    )
    [c] = conflicts_of(ctx, expert_id=expert_id, declaration_id=decl, on=REVIEW)
    assert (c.cause, c.cause_label, c.declared, c.overridable) == ("same_unit", "同一单位", False, True)
    assert c.reason == "专家张三所在单位“柳州测试1号科技有限公司”即依托单位“柳州测试1号科技有限公司”，应回避"


def test_a_duplicate_registration_of_the_host(ctx: AppContext) -> None:
    # the unit was registered by name (with a space) before the declaration registered it by code
    organizations.create_organization(ctx, name="柳州测试1号 科技有限公司", kind="enterprise")
    expert_id = experts.create_expert(ctx, name="张三", unit="柳州测试1号 科技有限公司")
    make_call(ctx)
    decl = submit_declaration(ctx, 1)
    host = org_named(ctx, "柳州测试1号科技有限公司")
    assert experts.get_expert(ctx, expert_id).organization_id != host.id
    [c] = conflicts_of(ctx, expert_id=expert_id, declaration_id=decl, on=REVIEW)
    assert c.cause == "same_unit" and "即依托单位" in c.reason  # the same name once normalised


def test_a_unit_confirmed_to_be_part_of_the_host(ctx: AppContext, decl: int) -> None:
    expert_id = experts.create_expert(ctx, name="张三", unit="柳州测试1号科技有限公司技术中心")
    assert causes(ctx, expert_id, decl) == []
    host = org_named(ctx, "柳州测试1号科技有限公司")
    assert host.id is not None
    organizations.confirm_unit(
        ctx, organization_id=host.id, unit_name="柳州测试1号科技有限公司技术中心", belongs=True
    )
    assert causes(ctx, expert_id, decl) == ["same_unit"]
    [c] = conflicts_of(ctx, expert_id=expert_id, declaration_id=decl, on=REVIEW)
    assert "重复登记或所属单位" in c.reason


def test_co_builder_and_joint_applicant_experts(ctx: AppContext, decl: int) -> None:
    co = experts.create_expert(ctx, name="张三", unit="柳州共建机械有限公司", credit_code=credit_code(101))
    joint = experts.create_expert(ctx, name="李四", unit="广西联合大学")
    assert causes(ctx, co, decl) == ["co_builder"]
    assert causes(ctx, joint, decl) == ["joint_applicant"]


@pytest.mark.parametrize(
    ("ended", "expected"), [(dt.date(2023, 7, 14), []), (dt.date(2023, 7, 15), ["worked"])]
)
def test_a_recorded_employment_within_three_years(
    ctx: AppContext, decl: int, ended: dt.date, expected: list[str]
) -> None:
    expert_id = experts.create_expert(ctx, name="张三", unit="广西无关研究院")
    experts.add_relation(
        ctx,
        expert_id=expert_id,
        kind="employment",
        credit_code=credit_code(1),
        from_on=dt.date(2018, 1, 1),
        to_on=ended,
        source="registry",
    )
    found = conflicts_of(ctx, expert_id=expert_id, declaration_id=decl, on=REVIEW)
    assert [c.cause for c in found] == expected
    assert all(c.overridable for c in found)


def test_a_relatives_dispute_with_the_joint_applicant_by_name(ctx: AppContext, decl: int) -> None:
    expert_id = experts.create_expert(ctx, name="张三", unit="广西无关研究院")
    experts.add_relation(
        ctx,
        expert_id=expert_id,
        kind="dispute",
        organization_name="广西联合大学",
        relative=True,
        from_on=dt.date(2025, 5, 1),
    )
    [c] = conflicts_of(ctx, expert_id=expert_id, declaration_id=decl, on=REVIEW)
    assert (
        c.cause == "relative"
        and c.declared
        and "近亲属" in c.reason
        and "联合申报单位“广西联合大学”" in c.reason
    )


def test_the_experts_own_declaration_and_the_applicants_list(ctx: AppContext, decl: int) -> None:
    declared = experts.create_expert(ctx, name="张三", unit="广西无关研究院")
    experts.add_relation(
        ctx, expert_id=declared, kind="declared", organization_name="柳州测试1号科技有限公司"
    )
    assert causes(ctx, declared, decl) == ["declared"]
    listed = experts.create_expert(ctx, name="李四", unit="广西另一研究院")
    by_name = experts.create_expert(ctx, name="王五", unit="广西第三研究院")
    experts.add_avoid_expert(ctx, declaration_id=decl, expert_id=listed, reason="存在竞争关系")
    avoid_id = experts.add_avoid_expert(
        ctx, declaration_id=decl, expert_name="王五", expert_unit="广西第三研究院"
    )
    [c] = conflicts_of(ctx, expert_id=listed, declaration_id=decl, on=REVIEW)
    assert c.cause == "applicant_list" and c.declared and not c.overridable and "存在竞争关系" in c.reason
    assert causes(ctx, by_name, decl) == ["applicant_list"]
    assert [a.expert_name for a in experts.list_avoid_experts(ctx, declaration_id=decl)] == ["李四", "王五"]
    experts.withdraw_avoid_expert(ctx, avoid_id=avoid_id, reason="申报单位撤回申请")
    assert causes(ctx, by_name, decl) == []
    with pytest.raises(ServiceError, match="请填写姓名"):
        experts.add_avoid_expert(ctx, declaration_id=decl, expert_name=" ")
