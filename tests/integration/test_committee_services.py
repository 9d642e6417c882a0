"""Committee services over a real database: import/export of the interchange example, saving edited
rosters (soft removal, audited, one transaction), rules on the saved record, demo data loads."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, func, select

from lzcenter_desktop.domain.committees import check_committees
from lzcenter_desktop.domain.model import Meeting, Person, PersonCategory
from lzcenter_desktop.services import centers, committees, organizations
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.storage.models import (
    AuditEntry,
    CenterPerson,
    CommitteeMeeting,
    DirectorAppointment,
    ExpertCommitteeMember,
    ManagementCommitteeMember,
)
from lzcenter_desktop.storage.models import Person as PersonRow
from tests.review_records import take_steps

NAME = "柳州智能网联汽车工程技术研究中心（柳州某某汽车有限公司）"
NO_ROLE = ("韩十四", "杨十五", "朱十六")  # people of the example who hold no role


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(str(tmp_path / "c.sqlite"), operator="李科员")
    yield context
    context.db.dispose()


@pytest.fixture
def example(examples_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((examples_dir / "committees.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def centre(ctx: AppContext) -> int:
    """The example's centre, made through the existing services and recognised on 2022-12-01."""
    host = organizations.create_organization(
        ctx, name="柳州某某汽车有限公司", kind="enterprise", credit_code="91450200MA5K3L7Q58"
    )
    uni = organizations.create_organization(
        ctx, name="广西科技大学", kind="university", credit_code="12450000498503229M"
    )
    cid = centers.create_center(
        ctx, name_zh=NAME, host_id=host, on=date(2022, 3, 1), industries=["汽车"], co_builder_ids=[uni]
    )
    take_steps(
        ctx,
        cid,
        [
            ("submitted", date(2022, 3, 10)),
            ("under_review", date(2022, 5, 1)),
            ("proposed", date(2022, 9, 1)),
            ("public_notice", date(2022, 9, 5)),
        ],
    )
    centers.recognise(ctx, center_id=cid, on=date(2022, 12, 1), document_no="柳科发〔2022〕30号")
    return cid


def _count(ctx: AppContext, model: Any) -> int:
    with ctx.db.session() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


# ------------------------------------------------------------------ import / export


def test_example_imports_and_exports_unchanged(ctx: AppContext, centre: int, example: dict[str, Any]) -> None:
    summary = committees.import_committees_json(ctx, center_id=centre, data=example)
    assert (summary.people_created, summary.people_matched) == (16, 0)
    exported = committees.export_committees_json(ctx, center_id=centre)
    assert exported == example  # people who hold no role (p14–p16) included, in the file's order
    # the exported document is itself importable, and importing it again changes nothing
    before = _count(ctx, AuditEntry)
    again = committees.import_committees_json(ctx, center_id=centre, data=exported)
    assert (again.people_created, again.people_matched) == (0, 16)
    assert _count(ctx, AuditEntry) == before
    assert committees.export_committees_json(ctx, center_id=centre) == exported


def test_rules_on_imported_record_match_rules_on_file(
    ctx: AppContext, centre: int, example: dict[str, Any]
) -> None:
    from lzcenter_desktop.domain.interchange import parse_committees

    committees.import_committees_json(ctx, center_id=centre, data=example)
    as_of = date(2026, 11, 26)
    from_db = committees.check_centre_committees(ctx, center_id=centre, as_of=as_of)
    from_file = check_committees(parse_committees(example), as_of=as_of)
    assert [(v.rule, v.actual) for v in from_db] == [(v.rule, v.actual) for v in from_file]


def test_import_of_other_centre_is_refused_and_writes_nothing(
    ctx: AppContext, centre: int, example: dict[str, Any]
) -> None:
    bad = copy.deepcopy(example)
    bad["center"]["name_zh"] = "柳州别的工程技术研究中心（柳州某某汽车有限公司）"
    before = _count(ctx, AuditEntry)
    with pytest.raises(ServiceError, match="中心名称"):
        committees.import_committees_json(ctx, center_id=centre, data=bad)
    bad = copy.deepcopy(example)
    bad["center"]["recognized"] = "2022-12-02"
    with pytest.raises(ServiceError, match="认定日期"):
        committees.import_committees_json(ctx, center_id=centre, data=bad)
    bad = copy.deepcopy(example)
    bad["co_builders"][0]["credit_code"] = "91450200MA5K3L7Q58"
    bad["co_builders"][0]["name"] = "某某公司"
    with pytest.raises(ServiceError, match="共建单位"):
        committees.import_committees_json(ctx, center_id=centre, data=bad)
    assert _count(ctx, AuditEntry) == before
    assert _count(ctx, PersonRow) == 0


def test_import_format_error_names_the_path(ctx: AppContext, centre: int, example: dict[str, Any]) -> None:
    bad = copy.deepcopy(example)
    bad["expert_committee_terms"][0]["chair"] = "p99"
    with pytest.raises(ServiceError, match=r"expert_committee_terms\[0\]\.chair") as info:
        committees.import_committees_json(ctx, center_id=centre, data=bad)
    assert "未知的人员编号" in str(info.value)


def test_uncognised_centre_has_no_committees(ctx: AppContext) -> None:
    host = organizations.create_organization(ctx, name="柳州某某机械有限公司", kind="enterprise")
    cid = centers.create_center(
        ctx, name_zh="柳州智能装备工程技术研究中心", host_id=host, on=date(2024, 2, 1), industries=["机械"]
    )
    with pytest.raises(ServiceError, match="尚未认定"):
        committees.load_committees(ctx, center_id=cid)
    assert cid not in [c.id for c in committees.list_committee_centres(ctx)]


def test_json_text_errors_are_chinese() -> None:
    with pytest.raises(ServiceError, match="不是有效的 JSON：第1行"):
        committees.parse_json_text("{")


# ------------------------------------------------------------------ saving edits


@pytest.fixture
def loaded(ctx: AppContext, centre: int, example: dict[str, Any]) -> Any:
    committees.import_committees_json(ctx, center_id=centre, data=example)
    return committees.load_committees(ctx, center_id=centre)


def _by_name(c: Any, name: str) -> str:
    return next(p.id for p in c.people if p.name == name)


def test_save_requires_a_reason(ctx: AppContext, centre: int, loaded: Any) -> None:
    with pytest.raises(ServiceError, match="原因"):
        committees.save_committees(ctx, center_id=centre, committees=loaded, reason="  ")


def test_unchanged_save_writes_nothing(ctx: AppContext, centre: int, loaded: Any) -> None:
    before = _count(ctx, AuditEntry)
    committees.save_committees(ctx, center_id=centre, committees=loaded, reason="核对")
    assert _count(ctx, AuditEntry) == before
    assert committees.load_committees(ctx, center_id=centre) == loaded


def test_removing_and_adding_expert_members_is_soft_and_audited(
    ctx: AppContext, centre: int, loaded: Any
) -> None:
    last = loaded.expert_committee_terms[-1]
    dropped = last.members[-1]
    newcomer = Person("new-1", "许新", date(1970, 3, 3), "厦门大学", PersonCategory.UNIVERSITY)
    term = replace(last, members=(*last.members[:-1], "new-1"))
    edited = replace(
        loaded,
        people=(*loaded.people, newcomer),
        expert_committee_terms=(*loaded.expert_committee_terms[:-1], term),
    )
    rows_before = _count(ctx, ExpertCommitteeMember)
    committees.save_committees(ctx, center_id=centre, committees=edited, reason="补选委员")
    # the removed member's row is kept (marked), one row is added: nothing deleted
    assert _count(ctx, ExpertCommitteeMember) == rows_before + 1
    after = committees.load_committees(ctx, center_id=centre)
    names = [after.person(p).name for p in after.expert_committee_terms[-1].members]
    assert names[-1] == "许新" and loaded.person(dropped).name not in names
    with ctx.db.session() as s:
        actions = set(s.execute(select(AuditEntry.action)).scalars())
        retired = [
            (s.get(PersonRow, r.person_id).name, r.category, r.retired_on)  # type: ignore[union-attr]
            for r in s.execute(
                select(ExpertCommitteeMember).where(col(ExpertCommitteeMember.status) == "retired")
            ).scalars()
        ]
    assert "committees.save_committees：补选委员" in actions
    assert retired == [(loaded.person(dropped).name, loaded.person(dropped).category.value, date.today())]
    # the member taken off still is on the centre's people list (and so in an exported file)
    assert loaded.person(dropped).name in [p.name for p in after.people]
    # putting the member back reuses the kept row, in its old place
    committees.save_committees(ctx, center_id=centre, committees=loaded, reason="恢复")
    assert _count(ctx, ExpertCommitteeMember) == rows_before + 1
    restored = committees.load_committees(ctx, center_id=centre)
    assert restored.expert_committee_terms == loaded.expert_committee_terms
    with ctx.db.session() as s:
        statuses = set(s.execute(select(ExpertCommitteeMember.status)).scalars())
        assert statuses == {"active", "retired"}  # 许新 is the one retired now
        kept = s.execute(
            select(ExpertCommitteeMember).where(col(ExpertCommitteeMember.status) == "active")
        ).scalars()
        assert all(r.retired_on is None for r in kept)


def test_management_member_leaving_keeps_the_row(ctx: AppContext, centre: int, loaded: Any) -> None:
    mc = loaded.management_committee
    edited = replace(loaded, management_committee=replace(mc, members=mc.members[:2]))
    committees.save_committees(ctx, center_id=centre, committees=edited, reason="委员调离")
    with ctx.db.session() as s:
        left = (
            s.execute(
                select(ManagementCommitteeMember).where(col(ManagementCommitteeMember.left_on).is_not(None))
            )
            .scalars()
            .all()
        )
    assert len(left) == 1 and left[0].left_on == date.today()
    assert len(committees.load_committees(ctx, center_id=centre).management_committee.members) == 2  # type: ignore[union-attr]


def test_changed_meeting_keeps_old_attendance(ctx: AppContext, centre: int, loaded: Any) -> None:
    mc = loaded.management_committee
    first = mc.meetings[0]
    changed = Meeting(first.date, first.attendees[:2])
    edited = replace(loaded, management_committee=replace(mc, meetings=(changed, *mc.meetings[1:])))
    committees.save_committees(ctx, center_id=centre, committees=edited, reason="更正出席名单")
    with ctx.db.session() as s:
        retired = (
            s.execute(select(CommitteeMeeting).where(col(CommitteeMeeting.status) == "retired"))
            .scalars()
            .all()
        )
    assert [(r.committee, r.held_on) for r in retired] == [("management", first.date)]
    after = committees.load_committees(ctx, center_id=centre)
    assert after.management_committee is not None
    assert after.management_committee.meetings[0] == changed


def test_director_removed_is_retired_not_deleted(ctx: AppContext, centre: int, loaded: Any) -> None:
    first = loaded.directors[0]
    nxt = replace(first, appointed=date(2026, 1, 10), filed=None, months_worked=())
    edited = replace(loaded, directors=(*loaded.directors, nxt))
    committees.save_committees(ctx, center_id=centre, committees=edited, reason="续聘")
    with ctx.db.session() as s:
        rows = (
            s.execute(select(DirectorAppointment).order_by(col(DirectorAppointment.appointed_on)))
            .scalars()
            .all()
        )
        assert [(r.status, r.ended_on) for r in rows] == [("ended", date(2026, 1, 9)), ("active", None)]
    committees.save_committees(ctx, center_id=centre, committees=loaded, reason="录入错误")
    with ctx.db.session() as s:
        rows = (
            s.execute(select(DirectorAppointment).order_by(col(DirectorAppointment.appointed_on)))
            .scalars()
            .all()
        )
        assert [r.status for r in rows] == ["active", "retired"]
    assert committees.load_committees(ctx, center_id=centre).directors == (first,)


def test_reported_month_cannot_be_removed(ctx: AppContext, centre: int, loaded: Any) -> None:
    d = loaded.directors[0]
    edited = replace(loaded, directors=(replace(d, months_worked=d.months_worked[:2]),))
    with pytest.raises(ServiceError, match="2025 年工作月数"):
        committees.save_committees(ctx, center_id=centre, committees=edited, reason="更正")


def test_saved_term_cannot_be_removed(ctx: AppContext, centre: int, loaded: Any) -> None:
    edited = replace(loaded, expert_committee_terms=loaded.expert_committee_terms[:1])
    with pytest.raises(ServiceError, match="第2届已保存"):
        committees.save_committees(ctx, center_id=centre, committees=edited, reason="更正")


def test_structural_errors_are_chinese_and_write_nothing(ctx: AppContext, centre: int, loaded: Any) -> None:
    t = loaded.expert_committee_terms[0]
    outsider = _by_name(loaded, "周四")  # not a member of the term
    edited = replace(
        loaded, expert_committee_terms=(replace(t, chair=outsider), *loaded.expert_committee_terms[1:])
    )
    before = _count(ctx, AuditEntry)
    with pytest.raises(ServiceError, match="专家指导委员会第1届\\.chair：主任“周四”不在本届委员名单") as info:
        committees.save_committees(ctx, center_id=centre, committees=edited, reason="更正")
    assert "周四" in str(info.value)
    assert _count(ctx, AuditEntry) == before


@pytest.mark.parametrize(
    ("day", "refused"), [(date(2028, 12, 30), False), (date(2028, 12, 31), False), (date(2029, 1, 1), True)]
)
def test_a_first_day_in_office_after_the_term_is_refused_and_writes_nothing(
    ctx: AppContext, centre: int, loaded: Any, day: date, refused: bool
) -> None:
    """届中增补: a member's first day in office must lie in the term (ends 2028-12-31); a day inside
    it is stored, one after it is refused and writes nothing."""
    last = loaded.expert_committee_terms[-1]
    member = last.members[-1]
    edited = replace(
        loaded,
        expert_committee_terms=(*loaded.expert_committee_terms[:-1], replace(last, joined=((member, day),))),
    )
    before = _count(ctx, AuditEntry)
    if refused:
        with pytest.raises(ServiceError) as info:
            committees.save_committees(ctx, center_id=centre, committees=edited, reason="届中增补")
        name = loaded.person(member).name
        assert str(info.value) == (
            f"专家指导委员会第2届：{name}的任职起始日期 2029-01-01 晚于本届任期结束日期 2028-12-31，"
            "请改为任期内的日期"
        )
        assert info.value.field == "expert_committee_terms[1].joined"
        assert _count(ctx, AuditEntry) == before  # nothing written
    else:
        committees.save_committees(ctx, center_id=centre, committees=edited, reason="届中增补")
        stored = committees.load_committees(ctx, center_id=centre).expert_committee_terms[-1]
        assert [d for _, d in stored.joined] == [day]


def test_a_first_day_in_office_is_stored_and_read_back(ctx: AppContext, centre: int, loaded: Any) -> None:
    """The first day in office of a member who joined a running term is kept
    (``expert_committee_member.joined_on``) and loaded again; members from the term's start have none."""
    last = loaded.expert_committee_terms[-1]
    newcomer = Person("new-1", "许新", date(1970, 3, 3), "厦门大学", PersonCategory.UNIVERSITY)
    term = replace(last, members=(*last.members, "new-1"), joined=(("new-1", date(2026, 9, 1)),))
    edited = replace(
        loaded,
        people=(*loaded.people, newcomer),
        expert_committee_terms=(*loaded.expert_committee_terms[:-1], term),
    )
    committees.save_committees(ctx, center_id=centre, committees=edited, reason="届中增补")
    after = committees.load_committees(ctx, center_id=centre).expert_committee_terms[-1]
    added = [p for p in after.members if p not in last.members]
    assert len(added) == 1
    assert after.joined == ((added[0], date(2026, 9, 1)),)
    # moving the first day is saved as a change, back to the term's start clears it
    later = replace(after, joined=((added[0], date(2026, 10, 8)),))
    reloaded = committees.load_committees(ctx, center_id=centre)
    committees.save_committees(
        ctx,
        center_id=centre,
        committees=replace(reloaded, expert_committee_terms=(*reloaded.expert_committee_terms[:-1], later)),
        reason="更正任职起始日期",
    )
    assert committees.load_committees(ctx, center_id=centre).expert_committee_terms[-1].joined == (
        (added[0], date(2026, 10, 8)),
    )


def test_new_person_matched_by_name_and_birth_date(ctx: AppContext, centre: int, loaded: Any) -> None:
    """A person typed again in the editor (same name and birth date) is the same registry record."""
    twin = Person("new-1", "王一", date(1965, 1, 1), "广西大学", PersonCategory.UNIVERSITY)
    mc = loaded.management_committee
    edited = replace(
        loaded,
        people=(*loaded.people, twin),
        management_committee=replace(mc, members=(*mc.members, "new-1")),
    )
    people_before = _count(ctx, PersonRow)
    committees.save_committees(ctx, center_id=centre, committees=edited, reason="增补")
    assert _count(ctx, PersonRow) == people_before
    after = committees.load_committees(ctx, center_id=centre)
    assert after.management_committee is not None
    assert after.management_committee.members[-1] == _by_name(loaded, "王一")


def _list_rows(ctx: AppContext, centre: int) -> list[tuple[str, str, int, str, date | None]]:
    """The centre's people list as stored: (name, category, position, status, retired_on) by id."""
    with ctx.db.session() as s:
        rows = s.execute(
            select(CenterPerson, PersonRow)
            .join(PersonRow, col(PersonRow.id) == col(CenterPerson.person_id))
            .where(col(CenterPerson.center_id) == centre)
            .order_by(col(CenterPerson.id))
        ).all()
        return [(p.name, cp.category, cp.position, cp.status, cp.retired_on) for cp, p in rows]


def test_people_who_hold_no_role_are_kept_in_order(ctx: AppContext, centre: int, loaded: Any) -> None:
    assert [p.name for p in loaded.people][-3:] == list(NO_ROLE)
    assert [p.id for p in loaded.people] == [f"#{n}" for n in range(1, 17)]
    stored = _list_rows(ctx, centre)
    assert [(r[0], r[2], r[3]) for r in stored][-3:] == [
        ("韩十四", 13, "active"),
        ("杨十五", 14, "active"),
        ("朱十六", 15, "active"),
    ]
    assert [r[1] for r in stored] == [p.category.value for p in loaded.people]
    # the registry keeps the category first given
    with ctx.db.session() as s:
        categories = {
            name: category for name, category in s.execute(select(PersonRow.name, PersonRow.category))
        }
    assert categories["陈二"] == "center_leader" and categories["杨十五"] == "other"


def test_roster_order_is_kept_after_saving(ctx: AppContext, centre: int, loaded: Any) -> None:
    t = loaded.expert_committee_terms[-1]
    reordered = replace(t, members=tuple(reversed(t.members)))
    edited = replace(loaded, expert_committee_terms=(*loaded.expert_committee_terms[:-1], reordered))
    committees.save_committees(ctx, center_id=centre, committees=edited, reason="调整名单顺序")
    after = committees.load_committees(ctx, center_id=centre)
    assert after.expert_committee_terms[-1].members == reordered.members
    assert after == edited
    # saving what was loaded writes nothing
    before = _count(ctx, AuditEntry)
    committees.save_committees(ctx, center_id=centre, committees=after, reason="核对")
    assert _count(ctx, AuditEntry) == before


def test_person_category_for_the_centre_is_saved(ctx: AppContext, centre: int, loaded: Any) -> None:
    who = _by_name(loaded, "韩十四")
    people = tuple(replace(p, category=PersonCategory.INSTITUTE) if p.id == who else p for p in loaded.people)
    committees.save_committees(
        ctx, center_id=centre, committees=replace(loaded, people=people), reason="更正"
    )
    after = committees.load_committees(ctx, center_id=centre)
    assert after.person(who).category is PersonCategory.INSTITUTE
    with ctx.db.session() as s:  # the registry's category (the one first given) is not changed
        row = s.get(PersonRow, committees.person_db_id(who))
        assert row is not None and row.category == "university"


def test_person_added_and_dropped_in_the_editor_is_not_kept(
    ctx: AppContext, centre: int, loaded: Any
) -> None:
    """A new person who holds no role when saved is neither registered nor listed."""
    stray = Person("new-1", "许新", date(1970, 3, 3), "厦门大学", PersonCategory.UNIVERSITY)
    before = _count(ctx, AuditEntry)
    committees.save_committees(
        ctx, center_id=centre, committees=replace(loaded, people=(*loaded.people, stray)), reason="核对"
    )
    assert _count(ctx, AuditEntry) == before
    assert _count(ctx, PersonRow) == 16
    assert committees.load_committees(ctx, center_id=centre) == loaded


def test_import_without_a_person_retires_the_list_entry(
    ctx: AppContext, centre: int, example: dict[str, Any]
) -> None:
    committees.import_committees_json(ctx, center_id=centre, data=example)
    fewer = copy.deepcopy(example)
    fewer["people"] = [p for p in fewer["people"] if p["id"] != "p15"]
    committees.import_committees_json(ctx, center_id=centre, data=fewer)
    exported = committees.export_committees_json(ctx, center_id=centre)
    people = exported["people"]
    assert isinstance(people, list)
    assert [p["name"] for p in people] == [p["name"] for p in fewer["people"]]  # p16 is p15 now
    entry = next(r for r in _list_rows(ctx, centre) if r[0] == "杨十五")
    assert entry[3:] == ("retired", date.today())
    assert _count(ctx, PersonRow) == 16  # the person stays in the registry
    # the full file again: the same entry comes back, in its place
    committees.import_committees_json(ctx, center_id=centre, data=example)
    assert committees.export_committees_json(ctx, center_id=centre) == example
    assert _count(ctx, CenterPerson) == 16
    entry = next(r for r in _list_rows(ctx, centre) if r[0] == "杨十五")
    assert entry[2:] == (14, "active", None)


def test_merging_people_moves_or_retires_list_entries(ctx: AppContext, centre: int, loaded: Any) -> None:
    from lzcenter_desktop.services import people

    keep = committees.person_db_id(_by_name(loaded, "韩十四"))
    dup = committees.person_db_id(_by_name(loaded, "朱十六"))
    other = people.register_person(ctx, name="韩十四", birth_date=date(1965, 1, 1), organization_name="x")
    assert keep is not None and dup is not None and other == keep  # same name and birth date: matched
    stranger = people.register_person(ctx, name="韩十四", birth_date=None, organization_name="同济大学")
    # the stranger is on no list: merging the listed 朱十六 into it moves the list entry
    people.merge_people(ctx, keep_id=stranger, merge_id=dup, reason="同一人")
    names = [p.name for p in committees.load_committees(ctx, center_id=centre).people]
    assert names[-3:] == ["韩十四", "杨十五", "韩十四"]
    # both now on the list: merging one into the other retires the duplicate's entry
    people.merge_people(ctx, keep_id=keep, merge_id=stranger, reason="同一人")
    after = committees.load_committees(ctx, center_id=centre)
    assert [p.name for p in after.people][-2:] == ["韩十四", "杨十五"]
    assert [r[3] for r in _list_rows(ctx, centre)].count("retired") == 1
    assert _count(ctx, CenterPerson) == 16


def test_demo_centres_load_and_check(ctx: AppContext) -> None:
    from lzcenter_desktop.services import demo

    demo.build_demo(ctx, seed=2026)
    listed = committees.list_committee_centres(ctx)
    assert listed
    for c in listed[:5]:
        value = committees.load_committees(ctx, center_id=c.id)
        assert value.expert_committee_terms
        committees.check_centre_committees(ctx, center_id=c.id, as_of=date(2026, 11, 26))
        exported = committees.export_committees_json(ctx, center_id=c.id)
        assert exported["format"] == "lzcenter.committees/1"
    # the demo rosters carry no positions (all 0): saving one unchanged still writes nothing
    first = listed[0].id
    value = committees.load_committees(ctx, center_id=first)
    before = _count(ctx, AuditEntry)
    people_before = _count(ctx, CenterPerson)
    committees.save_committees(ctx, center_id=first, committees=value, reason="核对")
    assert committees.load_committees(ctx, center_id=first) == value
    # the centre's people list is made from the record the first time; the rosters and meetings
    # are not rewritten
    assert _count(ctx, CenterPerson) == people_before + len(value.people)
    with ctx.db.session() as s:
        entities = set(s.execute(select(AuditEntry.entity).where(col(AuditEntry.id) > before)).scalars())
    assert "center_person" in entities
    assert not entities & {"expert_committee_member", "committee_meeting", "meeting_attendance"}


# ------------------------------------------------------------------ roster exports


def test_roster_pdf_refuses_characters_the_fonts_lack(tmp_path: Path, example: dict[str, Any]) -> None:
    from lzcenter_desktop.domain.interchange import parse_committees
    from lzcenter_desktop.services import committee_export

    c = parse_committees(example)
    ok = committee_export.write_roster_pdf(c, tmp_path / "ok.pdf")
    assert ok.read_bytes().startswith(b"%PDF")
    odd = replace(c, people=tuple(replace(p, name="\U0002a6a5一") if p.id == "p1" else p for p in c.people))
    with pytest.raises(ServiceError, match="无法打印") as info:
        committee_export.write_roster_pdf(odd, tmp_path / "odd.pdf")
    assert info.value.field == "名单"
    assert not (tmp_path / "odd.pdf").exists()


def test_roster_exports_name_a_missing_folder(tmp_path: Path, example: dict[str, Any]) -> None:
    from lzcenter_desktop.domain.interchange import parse_committees
    from lzcenter_desktop.services import committee_export

    c = parse_committees(example)
    with pytest.raises(ServiceError, match=r"文件夹“.*nope”不存在") as info:
        committee_export.write_roster_xlsx(c, tmp_path / "nope" / "r.xlsx", as_of=date(2026, 11, 26))
    assert info.value.field == "文件"
    with pytest.raises(ServiceError, match="尚未设立专家指导委员会"):
        committee_export.write_roster_pdf(replace(c, expert_committee_terms=()), tmp_path / "r.pdf")
    rows = committee_export.roster_rows(c, 1)
    assert rows[0] == ("1", "王一", "1965-01-01", "广西大学", "高等院校", "主任委员", "否")
    assert rows[1][-1] == "是"  # 陈二 works at the host


# ------------------------------------------------------------------ units likely part of the host

OWN_CENTRE = "柳州某某汽车有限公司工程技术研究中心"  # the host's own centre, written as 陈二's unit
HOST = "柳州某某汽车有限公司"


def _moved_to_own_centre(ctx: AppContext, centre: int, loaded: Any) -> None:
    """陈二 (both terms, the management committee) now gives the host's own centre as unit."""
    pid = _by_name(loaded, "陈二")
    people = tuple(
        replace(p, organization=OWN_CENTRE, organization_credit_code=None) if p.id == pid else p
        for p in loaded.people
    )
    committees.save_committees(
        ctx, center_id=centre, committees=replace(loaded, people=people), reason="单位更正"
    )


def _unit_warnings(ctx: AppContext, centre: int) -> list[tuple[str, str]]:
    from lzcenter_desktop.domain.violations import Severity

    found = committees.check_centre_committees(ctx, center_id=centre, as_of=date(2026, 11, 26))
    return [(v.rule, v.path) for v in found if v.severity is Severity.WARNING and v.rule in ("M13b", "M14c")]


def test_a_likely_host_unit_is_confirmed_once_in_the_registry(
    ctx: AppContext, centre: int, loaded: Any
) -> None:
    from lzcenter_desktop.domain.committees import unit_match
    from lzcenter_desktop.domain.model import UnitConfirmation
    from lzcenter_desktop.storage.models import UnitAffiliation

    _moved_to_own_centre(ctx, centre, loaded)
    assert _unit_warnings(ctx, centre) == [
        ("M13b", "management_committee.members[0].organization"),
        ("M14c", "expert_committee_terms[0].members[1].organization"),
        ("M14c", "expert_committee_terms[1].members[1].organization"),
    ]
    before = _count(ctx, AuditEntry)
    answers = committees.confirm_member_unit(
        ctx, center_id=centre, unit_name=OWN_CENTRE, of=HOST, belongs=True
    )
    assert answers == (UnitConfirmation(OWN_CENTRE, HOST, True),)
    assert _unit_warnings(ctx, centre) == []
    c = committees.load_committees(ctx, center_id=centre)
    assert c.unit_confirmations == answers
    m = unit_match(c.person(_by_name(c, "陈二")), c)
    assert m is not None and not m.likely  # counted, confirmed
    with ctx.db.session() as s:
        audit = (
            s.execute(select(AuditEntry).where(col(AuditEntry.id) > 0).order_by(col(AuditEntry.id)))
            .scalars()
            .all()
        )
    new = audit[before:]
    assert [(a.entity, a.operation, a.operator) for a in new] == [("unit_affiliation", "insert", "李科员")]
    assert new[0].action.startswith("committees.confirm_member_unit") and "属于" in new[0].action

    # the clerk corrects the answer: the same row changes (audited), the member no longer counts
    committees.confirm_member_unit(ctx, center_id=centre, unit_name=OWN_CENTRE + " ", of=HOST, belongs=False)
    assert _count(ctx, UnitAffiliation) == 1
    c = committees.load_committees(ctx, center_id=centre)
    assert unit_match(c.person(_by_name(c, "陈二")), c) is None
    assert _unit_warnings(ctx, centre) == []
    with ctx.db.session() as s:
        ops = s.execute(
            select(AuditEntry.operation)
            .where(col(AuditEntry.entity) == "unit_affiliation")
            .order_by(col(AuditEntry.id))
        ).all()
    assert [o[0] for o in ops] == ["insert", "update"]
    # the same answer again writes nothing
    before = _count(ctx, AuditEntry)
    committees.confirm_member_unit(ctx, center_id=centre, unit_name=OWN_CENTRE, of=HOST, belongs=False)
    assert _count(ctx, AuditEntry) == before


def test_confirming_a_unit_is_refused_in_chinese_and_writes_nothing(
    ctx: AppContext, centre: int, loaded: Any
) -> None:
    before = _count(ctx, AuditEntry)
    with pytest.raises(ServiceError, match=r"不是中心.*的依托单位或共建单位"):
        committees.confirm_member_unit(
            ctx, center_id=centre, unit_name=OWN_CENTRE, of="广西大学", belongs=True
        )
    with pytest.raises(ServiceError, match="请填写要确认的工作单位名称"):
        committees.confirm_member_unit(ctx, center_id=centre, unit_name="  ", of=HOST, belongs=True)
    with pytest.raises(ServiceError, match="无需确认"):
        committees.confirm_member_unit(
            ctx, center_id=centre, unit_name="柳州某某汽车 有限公司", of=HOST, belongs=True
        )
    assert _count(ctx, AuditEntry) == before
