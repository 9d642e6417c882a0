"""The people registry: ID numbers, matching (ID number, or name + birth date), merging duplicates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import col, select

from lzcenter_desktop.services import centers, organizations, people
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage.models import (
    AuditEntry,
    CommitteeMeeting,
    DirectorAppointment,
    ExpertCommitteeMember,
    ExpertCommitteeTerm,
    ManagementCommitteeMember,
    MeetingAttendance,
)
from lzcenter_desktop.storage.models import Person as PersonRow

SAMPLE_ID = "11010519491231002X"  # the sample number of GB 11643-1999
SAMPLE_BIRTH = date(1949, 12, 31)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(str(tmp_path / "p.sqlite"), operator="李科员")
    yield context
    context.db.dispose()


# ------------------------------------------------------------------ 身份证号 and names


def test_valid_id_number_is_normalised() -> None:
    assert people.check_id_number(" 11010519491231002x ") == SAMPLE_ID
    assert people.check_id_number(SAMPLE_ID, SAMPLE_BIRTH) == SAMPLE_ID
    assert people.check_id_number("   ") is None
    assert people.check_id_number(None) is None


WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check(body17: str) -> str:
    return body17 + "10X98765432"[sum(int(c) * w for c, w in zip(body17, WEIGHTS, strict=True)) % 11]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("11010519491231002", "应为18位"),  # 17 characters
        ("11010519491231002X1", "应为18位"),  # 19 characters
        ("1101051949123100X2", "应为18位"),  # X not last
        ("110105194912310021", "校验位不正确，应为 X"),
        (with_check("11010519491331002"), "出生日期 19491331 不存在"),
    ],
)
def test_bad_id_numbers(value: str, message: str) -> None:
    with pytest.raises(ServiceError, match=message) as info:
        people.check_id_number(value)
    assert info.value.field == "身份证号"


def test_id_number_must_agree_with_birth_date() -> None:
    with pytest.raises(ServiceError, match="与填写的出生日期 1950-01-01 不一致") as info:
        people.check_id_number(SAMPLE_ID, date(1950, 1, 1))
    assert info.value.field == "出生日期"


def test_name_length_bounds() -> None:
    assert people.check_name("王" * 50) == "王" * 50
    with pytest.raises(ServiceError, match="最多50个字"):
        people.check_name("王" * 51)
    with pytest.raises(ServiceError, match="请填写姓名"):
        people.check_name("  ")


# ------------------------------------------------------------------ matching


def test_match_by_name_and_birth_date(ctx: AppContext) -> None:
    a = people.register_person(ctx, name="王一", birth_date=date(1965, 1, 1), organization_name="广西大学")
    assert people.register_person(ctx, name="王一", birth_date=date(1965, 1, 1)) == a
    # one day off is another person; a name alone never matches
    b = people.register_person(ctx, name="王一", birth_date=date(1965, 1, 2))
    c = people.register_person(ctx, name="王一", birth_date=None)
    assert len({a, b, c}) == 3
    assert people.get_person(ctx, a).organization == "广西大学"


def test_match_by_id_number_wins(ctx: AppContext) -> None:
    a = people.register_person(ctx, name="张三", birth_date=SAMPLE_BIRTH, id_number=SAMPLE_ID)
    # same number, name written differently: the same person
    assert people.register_person(ctx, name="张叁", birth_date=SAMPLE_BIRTH, id_number=SAMPLE_ID) == a
    # name + birth date of a record without a number: the number is added to it
    b = people.register_person(ctx, name="李四", birth_date=date(1970, 5, 1))
    number = with_check("45020219700501001")
    assert people.register_person(ctx, name="李四", birth_date=date(1970, 5, 1), id_number=number) == b
    assert people.get_person(ctx, b).id_number == number


def test_organization_is_updated_and_audited(ctx: AppContext) -> None:
    org = organizations.create_organization(ctx, name="广西大学", kind="university")
    a = people.register_person(ctx, name="王一", birth_date=date(1965, 1, 1), organization_name="某研究所")
    people.register_person(ctx, name="王一", birth_date=date(1965, 1, 1), organization_id=org)
    view = people.get_person(ctx, a)
    assert (view.organization_id, view.organization) == (org, "广西大学")
    with ctx.db.session() as s:
        updates = (
            s.execute(
                select(AuditEntry).where(
                    col(AuditEntry.entity) == "person", col(AuditEntry.operation) == "update"
                )
            )
            .scalars()
            .all()
        )
    assert len(updates) == 1 and "某研究所" in (updates[0].before or "")


def test_unknown_organization_is_refused(ctx: AppContext) -> None:
    with pytest.raises(ServiceError, match="工作单位（编号 99）不存在"):
        people.register_person(ctx, name="王一", birth_date=date(1965, 1, 1), organization_id=99)


# ------------------------------------------------------------------ merging


def _world(ctx: AppContext) -> tuple[int, int, int]:
    """A centre where the duplicate ``dup`` is director, management member, expert chair and attendee."""
    host = organizations.create_organization(ctx, name="柳州某某汽车有限公司", kind="enterprise")
    cid = centers.create_center(
        ctx, name_zh="柳州汽车工程技术研究中心", host_id=host, on=date(2022, 1, 1), industries=["汽车"]
    )
    keep = people.register_person(ctx, name="王一", birth_date=date(1965, 1, 1), id_number=None)
    dup = people.register_person(ctx, name="王 一", birth_date=None)
    with unit_of_work(ctx, "test.setup") as s:
        s.add(
            DirectorAppointment.model_validate(
                {"center_id": cid, "person_id": dup, "appointed_on": date(2023, 1, 1)}
            )
        )
        s.add(ManagementCommitteeMember.model_validate({"center_id": cid, "person_id": dup}))
        term = ExpertCommitteeTerm.model_validate(
            {
                "center_id": cid,
                "term_no": 1,
                "starts_on": date(2023, 1, 1),
                "ends_on": date(2025, 12, 31),
                "chair_person_id": dup,
            }
        )
        s.add(term)
        s.flush()
        s.add(
            ExpertCommitteeMember.model_validate(
                {"term_id": term.id, "person_id": dup, "category": "university"}
            )
        )
        meeting = CommitteeMeeting.model_validate(
            {"center_id": cid, "committee": "expert", "term_id": term.id, "held_on": date(2023, 6, 1)}
        )
        s.add(meeting)
        s.flush()
        s.add(MeetingAttendance.model_validate({"meeting_id": meeting.id, "person_id": dup}))
    return cid, keep, dup


def test_merge_moves_every_reference(ctx: AppContext) -> None:
    _cid, keep, dup = _world(ctx)
    people.merge_people(ctx, keep_id=keep, merge_id=dup, reason="同一人重复登记")
    with ctx.db.session() as s:
        for model in (
            DirectorAppointment,
            ManagementCommitteeMember,
            ExpertCommitteeMember,
            MeetingAttendance,
        ):
            assert set(s.execute(select(model.person_id)).scalars()) == {keep}  # type: ignore[attr-defined]
        assert set(s.execute(select(ExpertCommitteeTerm.chair_person_id)).scalars()) == {keep}
        merged = s.get(PersonRow, dup)
        assert merged is not None and merged.status == "merged" and merged.retired_on == date.today()
        actions = set(s.execute(select(AuditEntry.action)).scalars())
    assert "people.merge_people：同一人重复登记" in actions
    assert [p.id for p in people.list_people(ctx)] == [keep]
    assert {p.id for p in people.list_people(ctx, include_merged=True)} == {keep, dup}
    # a merged record takes part in no further merge, and is not matched again
    with pytest.raises(ServiceError, match="已被合并"):
        people.merge_people(ctx, keep_id=dup, merge_id=keep, reason="再合并")


def test_merge_moves_the_id_number(ctx: AppContext) -> None:
    keep = people.register_person(ctx, name="张三", birth_date=SAMPLE_BIRTH)
    dup = people.register_person(ctx, name="张三丰", birth_date=SAMPLE_BIRTH, id_number=SAMPLE_ID)
    people.merge_people(ctx, keep_id=keep, merge_id=dup, reason="重复")
    assert people.get_person(ctx, keep).id_number == SAMPLE_ID
    assert people.get_person(ctx, dup).id_number is None
    assert people.register_person(ctx, name="张三", birth_date=SAMPLE_BIRTH, id_number=SAMPLE_ID) == keep


def test_merge_refusals(ctx: AppContext) -> None:
    a = people.register_person(ctx, name="王一", birth_date=date(1965, 1, 1))
    b = people.register_person(ctx, name="王一", birth_date=date(1965, 1, 2))
    with pytest.raises(ServiceError, match="请填写合并原因"):
        people.merge_people(ctx, keep_id=a, merge_id=b, reason=" ")
    with pytest.raises(ServiceError, match="与其自身合并"):
        people.merge_people(ctx, keep_id=a, merge_id=a, reason="x")
    with pytest.raises(ServiceError, match="出生日期不同"):
        people.merge_people(ctx, keep_id=a, merge_id=b, reason="x")
    with pytest.raises(NotFound, match="编号为 99"):
        people.merge_people(ctx, keep_id=a, merge_id=99, reason="x")


def test_merge_refused_when_both_on_one_roster(ctx: AppContext) -> None:
    _cid, keep, dup = _world(ctx)
    with ctx.db.session() as s:
        term_id = s.execute(select(ExpertCommitteeTerm.id)).scalar_one()
    with unit_of_work(ctx, "test.setup") as s:
        s.add(
            ExpertCommitteeMember.model_validate(
                {"term_id": term_id, "person_id": keep, "category": "university"}
            )
        )
    before = len(people.list_people(ctx))
    with pytest.raises(ServiceError, match="同在专家指导委员会第1届名单中"):
        people.merge_people(ctx, keep_id=keep, merge_id=dup, reason="重复")
    assert len(people.list_people(ctx)) == before
