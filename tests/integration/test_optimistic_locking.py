"""Optimistic locking (services/versioning.py): two clerks — two contexts on the same database —
saving the same record. The one who saves from an older version is refused with StaleRecord
(``该记录已被他人修改`` naming who saved and when); nothing of hers is written, no audit entry added;
after reloading she saves normally. Each save raises the version by one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col, func, select

from lzcenter_desktop.services import centers, committees, organizations
from lzcenter_desktop.services import declarations as decl
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.services.versioning import STALE_PREFIX, StaleRecord
from lzcenter_desktop.storage.models import AuditEntry, Center, Organization
from tests.audit_records import newest_entry
from tests.review_records import take_steps

NAME = "柳州汽车轻量化工程技术研究中心（柳州鑫桥汽车零部件有限公司）"


@dataclass
class Clerks:
    a: AppContext  # 甲, who loads first and saves last
    b: AppContext  # 乙, who saves in between
    center: int


@pytest.fixture
def clerks(tmp_path: Path) -> Iterator[Clerks]:
    path = str(tmp_path / "shared.sqlite")
    a = open_app(path, operator="甲科员")
    b = open_app(path, operator="乙科员")
    host = organizations.create_organization(a, name="柳州鑫桥汽车零部件有限公司", kind="enterprise")
    cid = centers.create_center(
        a, name_zh=NAME, host_id=host, on=date(2023, 3, 1), industries=["汽车"], research_direction="车身"
    )
    take_steps(a, cid, [("submitted", date(2023, 3, 10))])
    yield Clerks(a, b, cid)
    a.db.dispose()
    b.db.dispose()


def _audit_count(ctx: AppContext) -> int:
    with ctx.db.session() as s:
        return int(s.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


def _direction(ctx: AppContext, cid: int) -> str:
    return centers.center_for_edit(ctx, cid).research_direction


# ------------------------------------------------------------------ the centre (修改中心信息)


def test_a_new_record_starts_at_version_1(clerks: Clerks) -> None:
    oid = organizations.create_organization(clerks.a, name="柳州某某机械有限公司", kind="enterprise")
    with clerks.a.db.session() as s:
        org = s.get(Organization, oid)
        assert org is not None and org.version == 1


def test_each_save_raises_the_version_by_one(clerks: Clerks) -> None:
    start = centers.center_for_edit(clerks.a, clerks.center).version
    centers.update_center(
        clerks.a, center_id=clerks.center, reason="更正", research_direction="一", expected_version=start
    )
    assert centers.center_for_edit(clerks.a, clerks.center).version == start + 1
    centers.update_center(
        clerks.a, center_id=clerks.center, reason="更正", research_direction="二", expected_version=start + 1
    )
    assert centers.center_for_edit(clerks.a, clerks.center).version == start + 2


def test_a_change_of_child_rows_only_raises_the_version(clerks: Clerks) -> None:
    start = centers.center_for_edit(clerks.a, clerks.center).version
    changed = centers.update_center(
        clerks.a,
        center_id=clerks.center,
        reason="更正",
        industries=["汽车", "新材料"],
        expected_version=start,
    )
    assert changed == ("重点产业领域",)
    assert centers.center_for_edit(clerks.a, clerks.center).version == start + 1
    with clerks.a.db.session() as s:  # the centre's own audit entry records the raised version
        entry = (
            s.execute(
                select(AuditEntry)
                .where(col(AuditEntry.entity) == "center", col(AuditEntry.entity_id) == str(clerks.center))
                .order_by(col(AuditEntry.id).desc())
            )
            .scalars()
            .first()
        )
    assert entry is not None and entry.before is not None and entry.after is not None
    assert (json.loads(entry.before)["version"], json.loads(entry.after)["version"]) == (start, start + 1)
    assert entry.operator == "甲科员"


@pytest.mark.parametrize("expected", [True, False])
def test_a_save_of_the_row_and_its_child_rows_raises_the_version_once(clerks: Clerks, expected: bool) -> None:
    """The industries query autoflushes the changed centre (the mapper raises it) before the
    service's own raise: still one step per save, with or without an expected version."""
    start = centers.center_for_edit(clerks.a, clerks.center).version
    centers.update_center(
        clerks.a,
        center_id=clerks.center,
        reason="更正",
        research_direction="新方向",
        industries=["汽车", "新材料"],
        expected_version=start if expected else None,
    )
    assert centers.center_for_edit(clerks.a, clerks.center).version == start + 1


def test_a_save_that_changes_nothing_keeps_the_version(clerks: Clerks) -> None:
    start = centers.center_for_edit(clerks.a, clerks.center).version
    assert (
        centers.update_center(
            clerks.a,
            center_id=clerks.center,
            reason="核对",
            research_direction="车身",
            expected_version=start,
        )
        == ()
    )
    assert centers.center_for_edit(clerks.a, clerks.center).version == start


def test_the_later_save_from_an_older_version_is_refused_and_writes_nothing(clerks: Clerks) -> None:
    mine = centers.center_for_edit(clerks.a, clerks.center)
    theirs = centers.center_for_edit(clerks.b, clerks.center)
    centers.update_center(
        clerks.b,
        center_id=clerks.center,
        reason="乙的修改",
        research_direction="乙的方向",
        expected_version=theirs.version,
    )
    audit = _audit_count(clerks.a)
    with pytest.raises(StaleRecord) as caught:
        centers.update_center(
            clerks.a,
            center_id=clerks.center,
            reason="甲的修改",
            research_direction="甲的方向",
            expected_version=mine.version,
        )
    message = str(caught.value)
    assert message.startswith(STALE_PREFIX)
    assert "乙科员" in message and "中心信息" in message and "重新载入" in message
    assert f"第 {mine.version} 版" in message and f"第 {mine.version + 1} 版" in message
    assert caught.value.changed_by == "乙科员" and caught.value.changed_at is not None
    assert (caught.value.expected, caught.value.current) == (mine.version, mine.version + 1)
    assert _direction(clerks.a, clerks.center) == "乙的方向"
    assert _audit_count(clerks.a) == audit
    # 甲 reloads and saves again: accepted
    again = centers.center_for_edit(clerks.a, clerks.center)
    centers.update_center(
        clerks.a,
        center_id=clerks.center,
        reason="甲的修改",
        research_direction="甲的方向",
        expected_version=again.version,
    )
    assert _direction(clerks.a, clerks.center) == "甲的方向"
    assert centers.center_for_edit(clerks.b, clerks.center).version == again.version + 1


@pytest.mark.parametrize(("offset", "accepted"), [(-1, False), (0, True), (1, False)])
def test_expected_version_just_below_at_and_above_the_stored_one(
    clerks: Clerks, offset: int, accepted: bool
) -> None:
    current = centers.center_for_edit(clerks.a, clerks.center).version
    assert current >= 2  # the state change of the fixture raised it: current - 1 is a real version
    save = lambda: centers.update_center(  # noqa: E731
        clerks.a,
        center_id=clerks.center,
        reason="边界",
        research_direction="新",
        expected_version=current + offset,
    )
    if accepted:
        assert save() == ("研发方向",)
        assert centers.center_for_edit(clerks.a, clerks.center).version == current + 1
    else:
        with pytest.raises(StaleRecord):
            save()
        assert centers.center_for_edit(clerks.a, clerks.center).version == current
        assert _direction(clerks.a, clerks.center) == "车身"


def test_without_an_expected_version_the_save_is_not_checked(clerks: Clerks) -> None:
    centers.update_center(clerks.b, center_id=clerks.center, reason="乙", research_direction="乙")
    centers.update_center(clerks.a, center_id=clerks.center, reason="甲", research_direction="甲")
    assert _direction(clerks.a, clerks.center) == "甲"


def test_a_race_between_two_sessions_is_refused_not_overwritten(clerks: Clerks) -> None:
    """Both saves passed the explicit check; the row changed underneath before the UPDATE (another
    computer's commit): the mapper's ``WHERE version = …`` matches nothing → StaleRecord."""
    audit = _audit_count(clerks.a)
    with (
        pytest.raises(StaleRecord) as caught,
        unit_of_work(clerks.a, "centers.update_center：竞争") as session,
    ):
        center = session.get(Center, clerks.center)
        assert center is not None
        session.execute(  # the other clerk's save, committed in between
            update(Center)
            .where(col(Center.id) == clerks.center)
            .values(research_direction="别人的", version=col(Center.version) + 1),
            execution_options={"synchronize_session": False},
        )
        center.research_direction = "我的"
        session.add(center)
        session.flush()
    assert str(caught.value).startswith(STALE_PREFIX)
    assert "中心信息" in str(caught.value)
    assert _direction(clerks.a, clerks.center) == "车身"  # the whole unit of work rolled back
    assert _audit_count(clerks.a) == audit


def test_two_sessions_loading_the_same_row_the_second_commit_fails(clerks: Clerks) -> None:
    """Two ORM sessions of two programs hold the same centre; the second UPDATE is refused."""
    with clerks.a.db.session() as first_read, clerks.b.db.session() as second_read:
        mine = first_read.get(Center, clerks.center)
        theirs = second_read.get(Center, clerks.center)
        assert mine is not None and theirs is not None
        loaded = mine.version
    with unit_of_work(clerks.b, "乙") as s:
        row = s.get(Center, clerks.center)
        assert row is not None
        row.name_en = "B"
        s.add(row)
    with pytest.raises(StaleRecord), unit_of_work(clerks.a, "甲") as s:
        stale = s.merge(mine, load=False)  # the copy 甲 loaded, at its old version
        assert stale.version == loaded
        stale.name_en = "A"
        s.add(stale)
    assert centers.center_for_edit(clerks.a, clerks.center).name_en == "B"


# ------------------------------------------------------------------ the committee roster


def _recognised_centre(ctx: AppContext) -> int:
    """The centre of the committee example (tests/data/examples/committees.json), recognised."""
    host = organizations.create_organization(
        ctx, name="柳州某某汽车有限公司", kind="enterprise", credit_code="91450200MA5K3L7Q58"
    )
    uni = organizations.create_organization(
        ctx, name="广西科技大学", kind="university", credit_code="12450000498503229M"
    )
    cid = centers.create_center(
        ctx,
        name_zh="柳州智能网联汽车工程技术研究中心（柳州某某汽车有限公司）",
        host_id=host,
        on=date(2022, 3, 1),
        industries=["汽车"],
        co_builder_ids=[uni],
    )
    steps = [("submitted", date(2022, 3, 10)), ("under_review", date(2022, 5, 1))]
    take_steps(ctx, cid, [*steps, ("proposed", date(2022, 9, 1)), ("public_notice", date(2022, 9, 5))])
    centers.recognise(ctx, center_id=cid, on=date(2022, 12, 1), document_no="柳科发〔2022〕30号")
    return cid


def test_the_committee_roster_refuses_a_save_from_an_older_roster(clerks: Clerks, examples_dir: Path) -> None:
    data: dict[str, Any] = json.loads((examples_dir / "committees.json").read_text(encoding="utf-8"))
    clerks.center = _recognised_centre(clerks.a)
    committees.import_committees_json(clerks.a, center_id=clerks.center, data=data)
    mine = committees.roster_version(clerks.a, center_id=clerks.center)
    value = committees.load_committees(clerks.a, center_id=clerks.center)
    terms = len(value.expert_committee_terms)
    assert terms >= 1 and mine == terms  # every term at version 1
    # a save that changes nothing writes nothing and keeps the version
    committees.save_committees(
        clerks.b, center_id=clerks.center, committees=value, reason="乙核对", expected_version=mine
    )
    assert committees.roster_version(clerks.a, center_id=clerks.center) == mine
    # 乙 changes the order of the last term's members: every term's version is raised
    last = value.expert_committee_terms[-1]
    reordered = replace(last, members=tuple(reversed(last.members)))
    theirs = replace(value, expert_committee_terms=(*value.expert_committee_terms[:-1], reordered))
    committees.save_committees(
        clerks.b, center_id=clerks.center, committees=theirs, reason="乙调整顺序", expected_version=mine
    )
    assert committees.roster_version(clerks.a, center_id=clerks.center) == mine + terms
    audit = _audit_count(clerks.a)
    with pytest.raises(StaleRecord) as caught:
        committees.save_committees(
            clerks.a, center_id=clerks.center, committees=value, reason="甲核对", expected_version=mine
        )
    assert str(caught.value).startswith(STALE_PREFIX) and "乙科员" in str(caught.value)
    assert "专家委员会名单" in str(caught.value)
    assert _audit_count(clerks.a) == audit
    fresh = committees.roster_version(clerks.a, center_id=clerks.center)
    committees.save_committees(
        clerks.a, center_id=clerks.center, committees=value, reason="甲核对", expected_version=fresh
    )
    assert committees.roster_version(clerks.a, center_id=clerks.center) == fresh + terms


# ------------------------------------------------------------------ the declaration wizard


def test_a_draft_declaration_saved_by_two_clerks(clerks: Clerks) -> None:
    did = decl.create_draft(clerks.a, call_year=2026)
    mine = decl.get_declaration(clerks.a, did)
    theirs = decl.get_declaration(clerks.b, did)
    assert mine.version == 1
    doc_b = dict(theirs.data, center={"name_zh": "乙填的名称"})
    assert decl.save_draft(clerks.b, declaration_id=did, data=doc_b, expected_version=theirs.version) == 2
    audit = _audit_count(clerks.a)
    doc_a = dict(mine.data, center={"name_zh": "甲填的名称"})
    with pytest.raises(StaleRecord) as caught:
        decl.save_draft(clerks.a, declaration_id=did, data=doc_a, expected_version=mine.version)
    assert str(caught.value).startswith(STALE_PREFIX) and "申报书" in str(caught.value)
    assert "乙科员" in str(caught.value)
    assert _audit_count(clerks.a) == audit
    assert decl.get_declaration(clerks.a, did).data["center"]["name_zh"] == "乙填的名称"
    # the same document as stored is no conflict: nothing to write, the current version back
    assert decl.save_draft(clerks.a, declaration_id=did, data=doc_b, expected_version=mine.version) == 2
    assert decl.save_draft(clerks.a, declaration_id=did, data=doc_a, expected_version=2) == 3
    view = decl.get_declaration(clerks.b, did)
    assert (view.version, view.data["center"]["name_zh"]) == (3, "甲填的名称")
    entry = newest_entry(clerks.a, "declaration", did)
    assert entry is not None and entry.before is not None and entry.after is not None
    assert (json.loads(entry.before)["version"], json.loads(entry.after)["version"]) == (2, 3)
