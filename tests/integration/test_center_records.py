"""Centre records (issue 13 item 9): 修改中心信息 through ``centers.update_center`` — a required reason
kept whole in the audit entry, only the changed fields written, names per 第二十六条, no renaming of a
centre 已撤销 / 自动放弃, no edit of a 草稿 here — and ``center_for_edit``, what the dialog starts from."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from lzcenter_desktop.domain.evaluation import Grade
from lzcenter_desktop.domain.settings import DEFAULT_KEY_INDUSTRIES
from lzcenter_desktop.services import centers, organizations
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import consequences
from lzcenter_desktop.storage.models import AuditEntry
from tests.consequence_records import accept, evaluate, rectification_of, step_by_evaluation
from tests.review_records import take_steps

NAME = "柳州汽车轻量化工程技术研究中心（柳州鑫桥汽车零部件有限公司）"
NAME_EN = "Liuzhou Automotive Lightweight Research Center of Engineering Technology"


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(str(tmp_path / "c.sqlite"), operator="韦科员")
    yield context
    context.db.dispose()


@dataclass
class Centres:
    host: int
    draft: int
    recognised: int


def _recognised(ctx: AppContext, host: int, name: str, year: int) -> int:
    cid = centers.create_center(
        ctx,
        name_zh=name,
        host_id=host,
        on=date(year, 3, 1),
        industries=["汽车", "新材料"],
        name_en=NAME_EN,
        research_direction="车身轻量化材料与结构",
    )
    take_steps(
        ctx,
        cid,
        [
            ("submitted", date(year, 3, 10)),
            ("under_review", date(year, 5, 1)),
            ("proposed", date(year, 7, 1)),
            ("public_notice", date(year, 7, 5)),
        ],
    )
    centers.recognise(ctx, center_id=cid, on=date(year, 8, 1), document_no=f"柳科发〔{year}〕12号")
    return cid


@pytest.fixture
def world(ctx: AppContext) -> Centres:
    host = organizations.create_organization(ctx, name="柳州鑫桥汽车零部件有限公司", kind="enterprise")
    draft = centers.create_center(
        ctx, name_zh="柳州智能装备工程技术研究中心", host_id=host, on=date(2024, 2, 1), industries=["机械"]
    )
    return Centres(host, draft, _recognised(ctx, host, NAME, 2023))


def _audit(ctx: AppContext, after_id: int = 0) -> list[AuditEntry]:
    with ctx.db.session() as s:
        return list(
            s.execute(
                select(AuditEntry).where(col(AuditEntry.id) > after_id).order_by(col(AuditEntry.id))
            ).scalars()
        )


def _last_audit_id(ctx: AppContext) -> int:
    with ctx.db.session() as s:
        return int(s.execute(select(func.max(col(AuditEntry.id)))).scalar_one() or 0)


# -- the reason ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_without_a_reason_nothing_is_written(ctx: AppContext, world: Centres, reason: str) -> None:
    before = _last_audit_id(ctx)
    with pytest.raises(ServiceError) as caught:
        centers.update_center(ctx, center_id=world.recognised, research_direction="新方向", reason=reason)
    assert caught.value.field == "修改原因"
    assert "请填写修改原因" in caught.value.message
    assert _audit(ctx, before) == []
    assert centers.get_center(ctx, world.recognised).research_direction == "车身轻量化材料与结构"


@pytest.mark.parametrize(("length", "accepted"), [(69, True), (70, True), (71, False)])
def test_the_reason_may_have_up_to_70_characters(
    ctx: AppContext, world: Centres, length: int, accepted: bool
) -> None:
    reason = ("依托单位更名" * 20)[:length]
    assert centers.UPDATE_REASON_MAX == 70
    if accepted:
        centers.update_center(ctx, center_id=world.recognised, research_direction="新方向", reason=reason)
        assert centers.get_center(ctx, world.recognised).research_direction == "新方向"
    else:
        with pytest.raises(ServiceError, match="修改原因过长（71 个字），最多 70 个字"):
            centers.update_center(ctx, center_id=world.recognised, research_direction="新方向", reason=reason)
        assert centers.get_center(ctx, world.recognised).research_direction == "车身轻量化材料与结构"


def test_the_audit_entry_carries_the_whole_reason_and_only_the_changed_field(
    ctx: AppContext, world: Centres
) -> None:
    before = _last_audit_id(ctx)
    reason = "依据柳科发〔2026〕15号，更正研发方向的表述"
    changed = centers.update_center(
        ctx,
        center_id=world.recognised,
        reason=f"  {reason} ",
        name_zh=NAME,  # unchanged: not written
        name_en=NAME_EN,
        research_direction="车身轻量化材料、结构与连接工艺",
        industries=["汽车", "新材料"],
    )
    assert changed == ("研发方向",)
    entries = _audit(ctx, before)
    assert [(e.entity, e.operation) for e in entries] == [("center", "update")]  # no center_industry row
    [entry] = entries
    assert entry.action == f"centers.update_center：{reason}"
    assert len(entry.action) <= 100  # the column's length: the reason is never cut
    assert entry.operator == "韦科员"
    old, new = json.loads(entry.before or "{}"), json.loads(entry.after or "{}")
    assert {k for k in new if new[k] != old[k]} == {"research_direction", "version"}  # version: 多人同时使用
    assert new["research_direction"] == "车身轻量化材料、结构与连接工艺"


def test_a_reason_of_70_characters_fits_the_audit_action(ctx: AppContext, world: Centres) -> None:
    before = _last_audit_id(ctx)
    reason = "甲" * centers.UPDATE_REASON_MAX
    centers.update_center(ctx, center_id=world.recognised, research_direction="新方向", reason=reason)
    [entry] = _audit(ctx, before)
    assert entry.action.endswith(reason) and len(entry.action) <= 100


def test_nothing_changed_writes_nothing(ctx: AppContext, world: Centres) -> None:
    before = _last_audit_id(ctx)
    changed = centers.update_center(
        ctx,
        center_id=world.recognised,
        reason="核对",
        name_zh=f" {NAME} ",
        name_en=NAME_EN,
        research_direction="车身轻量化材料与结构",
        industries=["汽车", "新材料"],
    )
    assert changed == ()
    assert _audit(ctx, before) == []


def test_every_field_changed_is_reported_and_shown(ctx: AppContext, world: Centres) -> None:
    new_name = "柳州汽车轻量化与新能源工程技术研究中心（柳州鑫桥汽车零部件有限公司）"
    changed = centers.update_center(
        ctx,
        center_id=world.recognised,
        reason="依托单位申请更名，经局务会同意",
        name_zh=new_name,
        name_en="Liuzhou Automotive Lightweight and New Energy Research Center of Engineering Technology",
        research_direction="车身轻量化与新能源汽车结构",
        industries=["机械"],
    )
    assert changed == ("中心名称", "英文名称", "研发方向", "重点产业领域")
    detail = centers.get_center(ctx, world.recognised)
    assert detail.row.name == new_name
    assert detail.name_en.startswith("Liuzhou Automotive Lightweight and New Energy")
    assert detail.research_direction == "车身轻量化与新能源汽车结构"
    assert detail.industries == ("机械",)  # the second position is blanked, not shown
    assert detail.row.industry == "机械"


# -- what may change ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "accepted"),
    [
        ("柳州工程技术研究中心", False),  # no ×× between 柳州 and the core: just below the form
        ("柳州车工程技术研究中心", True),  # one character: exactly the shortest form
        ("柳州车身工程技术研究中心（柳州鑫桥汽车零部件有限公司）", True),
        ("柳州车身工程技术研究中心（柳州鑫桥汽车零部件有限公司", False),  # unclosed bracket
        ("广西车身工程技术研究中心", False),
        ("柳州车身研究中心", False),
    ],
)
def test_a_new_name_is_checked_by_article_26(
    ctx: AppContext, world: Centres, name: str, accepted: bool
) -> None:
    if accepted:
        assert centers.update_center(ctx, center_id=world.recognised, name_zh=name, reason="更名") == (
            "中心名称",
        )
        assert centers.get_center(ctx, world.recognised).row.name == name
    else:
        with pytest.raises(ServiceError) as caught:
            centers.update_center(ctx, center_id=world.recognised, name_zh=name, reason="更名")
        assert caught.value.field == "中心名称"
        assert centers.get_center(ctx, world.recognised).row.name == NAME


def test_an_empty_research_direction_or_industry_list_is_refused(ctx: AppContext, world: Centres) -> None:
    with pytest.raises(ServiceError, match="请填写研发方向"):
        centers.update_center(ctx, center_id=world.recognised, research_direction="  ", reason="更正")
    with pytest.raises(ServiceError, match="请至少选择一个重点产业领域"):
        centers.update_center(ctx, center_id=world.recognised, industries=[], reason="更正")
    with pytest.raises(ServiceError, match="重点产业领域有重复项"):
        centers.update_center(ctx, center_id=world.recognised, industries=["汽车", "汽车"], reason="更正")


def test_a_draft_is_edited_through_its_declaration(ctx: AppContext, world: Centres) -> None:
    before = _last_audit_id(ctx)
    with pytest.raises(ServiceError, match=r"还是申报书草稿.*请在“申报”页修改申报书"):
        centers.update_center(ctx, center_id=world.draft, research_direction="智能装备", reason="补充")
    assert _audit(ctx, before) == []
    # one step on (已提交), the record is edited here
    centers.change_state(ctx, center_id=world.draft, to_state="submitted", on=date(2024, 3, 1), reason="提交")
    assert centers.update_center(
        ctx, center_id=world.draft, research_direction="智能装备", reason="补充"
    ) == ("研发方向",)


@pytest.mark.parametrize(("state", "label"), [("revoked", "已撤销"), ("forfeited", "自动放弃")])
def test_a_centre_whose_title_ended_keeps_its_name(
    ctx: AppContext, world: Centres, state: str, label: str
) -> None:
    step_by_evaluation(ctx, world.recognised, state, date(2026, 4, 1))  # 2026年绩效评估
    for kwargs, field in (
        ({"name_zh": "柳州车身工程技术研究中心"}, "中心名称"),
        ({"name_en": "Liuzhou Body Research Center of Engineering Technology"}, "英文名称"),
    ):
        with pytest.raises(ServiceError) as caught:
            centers.update_center(ctx, center_id=world.recognised, reason="更名", **kwargs)
        assert caught.value.field == field
        assert f"的状态为“{label}”" in caught.value.message and "不能更改" in caught.value.message
    assert centers.get_center(ctx, world.recognised).row.name == NAME
    # the other master data may still be corrected; the unchanged name given along is no rename
    assert centers.update_center(
        ctx, center_id=world.recognised, name_zh=NAME, industries=["汽车"], reason="更正产业领域"
    ) == ("重点产业领域",)


@pytest.mark.parametrize("state", ["recognised", "rectifying"])
def test_a_titled_centre_may_be_renamed(ctx: AppContext, world: Centres, state: str) -> None:
    if state == "rectifying":
        step_by_evaluation(ctx, world.recognised, state, date(2026, 4, 1))  # 2026年评估为整改
    new = "柳州车身工程技术研究中心（柳州鑫桥汽车零部件有限公司）"
    assert centers.update_center(ctx, center_id=world.recognised, name_zh=new, reason="更名") == ("中心名称",)
    assert centers.get_center(ctx, world.recognised).row.status_code == state


# -- center_for_edit -------------------------------------------------------------------------------------


def test_center_for_edit_has_the_stored_values_and_the_industry_list(ctx: AppContext, world: Centres) -> None:
    edit = centers.center_for_edit(ctx, world.recognised, year=2026)
    assert (edit.name_zh, edit.name_en, edit.research_direction) == (NAME, NAME_EN, "车身轻量化材料与结构")
    assert edit.industries == ("汽车", "新材料")
    assert edit.industry_choices == DEFAULT_KEY_INDUSTRIES
    assert (edit.state, edit.state_code) == ("已认定", "recognised")
    assert edit.locked is None and edit.name_locked is None
    draft = centers.center_for_edit(ctx, world.draft)
    assert draft.locked is not None and "申报" in draft.locked
    step_by_evaluation(ctx, world.recognised, "revoked", date(2026, 4, 1))  # 不合格
    revoked = centers.center_for_edit(ctx, world.recognised)
    assert revoked.locked is None
    assert revoked.name_locked is not None and "状态为“已撤销”" in revoked.name_locked


# -- the steps of 第五章 go through the same service ------------------------------------------------------


def test_the_steps_of_chapter_5_run_the_lifecycle_rule(ctx: AppContext, world: Centres) -> None:
    cid = world.recognised
    with pytest.raises(ServiceError, match="请填写状态变更的原因"):
        centers.change_state(ctx, center_id=cid, to_state="rectifying", on=date(2026, 4, 1), reason=" ")
    # the day the centre was recognised (2023-08-01) is the earliest a change may be dated: the
    # consequence of the evaluation is applied through apply_state_change too
    eid = evaluate(ctx, cid, Grade.RECTIFY, date(2023, 7, 31), apply=False)
    with pytest.raises(ServiceError, match="早于进入“已认定”状态的日期 2023-08-01"):
        consequences.apply_consequence(ctx, evaluation_id=eid, on=date(2023, 7, 31))
    consequences.apply_consequence(ctx, evaluation_id=eid, on=date(2023, 8, 1))
    with pytest.raises(ServiceError, match="“整改中”状态只能改为：已认定、已撤销"):
        centers.change_state(ctx, center_id=cid, to_state="forfeited", on=date(2024, 8, 1), reason="放弃")
    accept(ctx, rectification_of(ctx, eid), date(2024, 8, 1), document_no="柳科发〔2024〕9号")  # 整改验收通过
    history = centers.get_center(ctx, cid).history
    assert [(h.from_state, h.to_state, h.document_no) for h in history[-2:]] == [
        ("已认定", "整改中", None),
        ("整改中", "已认定", "柳科发〔2024〕9号"),
    ]
