"""Edits of a committees value and the live figures of the editors (domain/committee_edits.py), and
the first day in office of a member who joined a running term (届中增补)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from rule_fixtures import COMMITTEES_AS_OF, committees

from lzcenter_desktop.domain import committee_edits as edits
from lzcenter_desktop.domain.catalog import violation
from lzcenter_desktop.domain.committees import check_committees, join_date_problems, joined_on, members_on
from lzcenter_desktop.domain.model import Committees, Meeting, Person, PersonCategory
from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS, RuleSettings

# the example's second term: 2026-01-01 – 2028-12-31, nine members, one meeting on 2026-06-01
SECOND = 1
START, END = date(2026, 1, 1), date(2028, 12, 31)
ONE_DAY = timedelta(days=1)


def refused(message: str) -> Any:
    """ValueError whose Chinese message begins with ``message``."""
    return pytest.raises(ValueError, match="^" + re.escape(message))


def example() -> Committees:
    return committees()


# ---------------------------------------------------------------- 届中增补: the first day in office


@pytest.mark.parametrize(
    ("day", "recorded"),
    [
        (None, None),  # not given: from the term's start
        (START - ONE_DAY, None),  # before the start: from the start
        (START, None),  # on the start: from the start
        (START + ONE_DAY, START + ONE_DAY),  # the day after: joined then
        (END, END),  # the term's last day
    ],
)
def test_add_member_records_a_first_day_after_the_start(day: date | None, recorded: date | None) -> None:
    c = edits.add_member(example(), SECOND, "p14", day)
    t = c.expert_committee_terms[SECOND]
    assert t.members[-1] == "p14"
    assert t.joined == (() if recorded is None else (("p14", recorded),))
    assert joined_on(t, "p14") == (recorded or START)


def test_a_first_day_after_the_term_is_refused_naming_the_field() -> None:
    with refused("任职起始日期：2029-01-01 晚于专家指导委员会第2届任期结束日期 2028-12-31"):
        edits.add_member(example(), SECOND, "p14", END + ONE_DAY)


def test_set_joined_corrects_and_clears_and_refuses_a_non_member() -> None:
    c = edits.add_member(example(), SECOND, "p14", date(2026, 3, 1))
    c = edits.set_joined(c, SECOND, "p14", date(2026, 4, 1))
    assert c.expert_committee_terms[SECOND].joined == (("p14", date(2026, 4, 1)),)
    assert edits.set_joined(c, SECOND, "p14", None).expert_committee_terms[SECOND].joined == ()
    with refused("任职起始日期：韩十四不是专家指导委员会第1届委员"):
        edits.set_joined(c, 0, "p14", date(2024, 1, 1))


def test_join_entries_follow_the_roster_order() -> None:
    c = edits.add_member(example(), SECOND, "p14", date(2026, 5, 1))
    c = edits.add_member(c, SECOND, "p15", date(2026, 3, 1))
    c = edits.set_joined(c, SECOND, "p14", date(2026, 6, 1))
    assert [p for p, _d in c.expert_committee_terms[SECOND].joined] == ["p14", "p15"]
    assert edits.join_dates(c) == ["第2届 韩十四 2026-06-01", "第2届 杨十五 2026-03-01"]


@pytest.mark.parametrize(
    ("today", "offered"),
    [
        (START - ONE_DAY, START),  # a term not begun yet: its members are from the start
        (START, START),
        (START + ONE_DAY, START + ONE_DAY),  # a running term: today
        (END, END),
        (END + ONE_DAY, START),  # a past term being recorded: from the start
    ],
)
def test_the_day_offered_for_a_new_member(today: date, offered: date) -> None:
    assert edits.default_join_day(example().expert_committee_terms[SECOND], today) == offered


def test_removing_a_member_drops_their_first_day() -> None:
    c = edits.add_member(example(), SECOND, "p14", date(2026, 3, 1))
    row = c.expert_committee_terms[SECOND].members.index("p14")
    t = edits.remove_member(c, SECOND, row).expert_committee_terms[SECOND]
    assert "p14" not in t.members and t.joined == ()


def test_removing_the_chair_makes_the_first_member_chair_and_the_last_member_stays() -> None:
    c = example()
    t = edits.remove_member(c, SECOND, 0).expert_committee_terms[SECOND]
    assert t.chair == t.members[0] == "p2"
    alone = edits.with_term(c, SECOND, replace(c.expert_committee_terms[SECOND], members=("p1",)))
    assert edits.remove_member(alone, SECOND, 0) == alone  # a term keeps at least its chair


@pytest.mark.parametrize(
    ("end", "is_refused"),
    [(date(2026, 2, 28), True), (date(2026, 3, 1), False), (date(2026, 3, 2), False)],
)
def test_term_end_before_a_first_day_is_refused(end: date, is_refused: bool) -> None:
    c = edits.add_member(example(), SECOND, "p14", date(2026, 3, 1))
    if is_refused:
        with refused("任期结束日期：2026-02-28 早于委员韩十四的任职起始日期 2026-03-01"):
            edits.with_term_dates(c, SECOND, START, end, None)
    else:
        t = edits.with_term_dates(c, SECOND, START, end, None).expert_committee_terms[SECOND]
        assert t.end == end and t.joined == (("p14", date(2026, 3, 1)),)


@pytest.mark.parametrize(
    ("start", "kept"),
    [(date(2026, 2, 28), True), (date(2026, 3, 1), False), (date(2026, 3, 2), False)],
)
def test_a_start_moved_onto_a_first_day_makes_the_member_one_from_the_start(start: date, kept: bool) -> None:
    c = edits.add_member(example(), SECOND, "p14", date(2026, 3, 1))
    t = edits.with_term_dates(c, SECOND, start, END, date(2026, 2, 1)).expert_committee_terms[SECOND]
    assert (t.joined == (("p14", date(2026, 3, 1)),)) is kept
    assert t.start == start and t.filed == date(2026, 2, 1)


def test_term_end_before_its_start_is_refused() -> None:
    with refused("任期结束日期：2025-12-31 早于任期开始日期 2026-01-01"):
        edits.with_term_dates(example(), SECOND, START, START - ONE_DAY, None)
    same = edits.with_term_dates(example(), SECOND, START, START, None)
    assert same.expert_committee_terms[SECOND].end == START


def test_join_date_problems_name_the_member_and_the_term() -> None:
    c = example()
    t = c.expert_committee_terms[SECOND]
    assert join_date_problems(c) == []
    bad = edits.with_term(c, SECOND, replace(t, joined=(("p14", date(2026, 3, 1)),)))
    assert join_date_problems(bad) == [
        (
            "expert_committee_terms[1].joined",
            "专家指导委员会第2届：韩十四不在本届委员名单中，不能填写其任职起始日期",
        )
    ]
    late = edits.with_term(c, SECOND, replace(t, joined=(("p2", END + ONE_DAY),)))
    assert "晚于本届任期结束日期 2028-12-31" in join_date_problems(late)[0][1]
    at_end = edits.with_term(c, SECOND, replace(t, joined=(("p2", END),)))
    assert join_date_problems(at_end) == []
    twice = edits.with_term(c, SECOND, replace(t, joined=(("p2", END), ("p2", END))))
    assert join_date_problems(twice)[0][1] == "专家指导委员会第2届：陈二的任职起始日期填写了两次"


def test_renewal_and_a_first_term_start_without_join_dates() -> None:
    c = edits.add_member(example(), SECOND, "p14", date(2026, 3, 1))
    renewed = edits.renew_term(c, DEFAULT_SETTINGS).expert_committee_terms[-1]
    assert (renewed.start, renewed.end) == (date(2029, 1, 1), date(2031, 12, 31))
    assert renewed.joined == () and "p14" in renewed.members and renewed.filed is None
    first = edits.first_term(c, date(2024, 3, 1), "p1", ("p1",), DEFAULT_SETTINGS).expert_committee_terms
    assert len(first) == 1 and first[0].end == date(2027, 2, 28) and first[0].joined == ()


# ---------------------------------------------------------------- meetings: the roster of the meeting's day


def _with_meeting(joined: date, attendees: list[str]) -> Committees:
    """The second term with 韩十四 (p14) added on ``joined`` and its 2026-06-01 meeting attended by
    ``attendees``."""
    c = edits.add_member(example(), SECOND, "p14", joined)
    t = c.expert_committee_terms[SECOND]
    return edits.with_term(c, SECOND, replace(t, meetings=(Meeting(date(2026, 6, 1), tuple(attendees)),)))


SIX = ["p1", "p2", "p3", "p5", "p6", "p7"]  # 6 of the 9 original members: exactly 2/3


def test_members_on_a_day_and_the_meeting_roster() -> None:
    c = _with_meeting(date(2026, 6, 2), SIX)
    t = c.expert_committee_terms[SECOND]
    assert "p14" not in members_on(t, date(2026, 6, 1)) and "p14" in members_on(t, date(2026, 6, 2))
    ref = edits.meeting_refs(c, edits.EXPERT)[-1]
    assert ref.meeting.date == date(2026, 6, 1) and len(edits.members_in_force(c, ref)) == 9
    assert edits.attendee_note(c, ref, "p14") == "2026-06-02 起任委员，不计入"
    assert edits.attendee_note(c, ref, "p1") == ""
    assert edits.attendee_note(c, ref, "p16") == "非本届委员"


@pytest.mark.parametrize(("day", "counted"), [(date(2026, 3, 1), True), (date(2026, 2, 28), False)])
def test_a_meeting_registered_is_attended_by_the_members_in_office_that_day(day: date, counted: bool) -> None:
    c = edits.add_member(example(), SECOND, "p14", date(2026, 3, 1))
    c = edits.add_meeting(c, edits.EXPERT, day)
    meeting = next(m for m in c.expert_committee_terms[SECOND].meetings if m.date == day)
    assert ("p14" in meeting.attendees) is counted and len(meeting.attendees) == 9 + counted


def test_an_expert_meeting_outside_every_term_is_refused() -> None:
    with refused("会议日期：2022-12-31 不在专家指导委员会任何一届的任期内"):
        edits.add_meeting(example(), edits.EXPERT, date(2022, 12, 31))


def test_meetings_are_replaced_and_removed_where_they_live() -> None:
    c = example()
    refs = edits.meeting_refs(c, edits.MANAGEMENT)
    assert [r.meeting.date for r in refs] == sorted(r.meeting.date for r in refs)
    first = refs[0]
    assert first.path() == f"management_committee.meetings[{first.position}]"
    fewer = edits.with_meeting(c, first, Meeting(first.meeting.date, ()))
    assert edits.meeting_refs(fewer, edits.MANAGEMENT)[0].meeting.attendees == ()
    gone = edits.with_meeting(c, first, None)
    assert len(edits.meeting_refs(gone, edits.MANAGEMENT)) == len(refs) - 1
    expert = edits.meeting_refs(c, edits.EXPERT)[-1]
    assert expert.path() == "expert_committee_terms[1].meetings[0]"
    assert edits.with_meeting(c, expert, None).expert_committee_terms[SECOND].meetings == ()


# ---------------------------------------------------------------- people, order, months


def test_new_people_get_the_first_free_id_and_replace_by_id() -> None:
    c = example()
    assert edits.new_person_id(c) == "new-1"
    person = Person("new-1", "李新", date(1980, 1, 1), "广西大学", PersonCategory.UNIVERSITY)
    c = edits.with_person(c, person)
    assert edits.new_person_id(c) == "new-2" and c.person("new-1").name == "李新"
    c = edits.with_person(c, replace(person, name="李新新"))
    assert [p.name for p in c.people if p.id == "new-1"] == ["李新新"]


def test_moving_a_member_stays_within_the_roster() -> None:
    c = example()
    members = c.expert_committee_terms[SECOND].members
    assert edits.move_member(c, SECOND, 0, -1) == c
    assert edits.move_member(c, SECOND, len(members) - 1, 1) == c
    moved = edits.move_member(c, SECOND, 0, 1).expert_committee_terms[SECOND].members
    assert moved[:2] == (members[1], members[0])


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("2023:10，2024:9", ((2023, 10), (2024, 9))),
        ("2024：0", ((2024, 0),)),
        ("2024:12; 2025:1", ((2024, 12), (2025, 1))),
        ("", ()),
    ],
)
def test_months_typed_as_year_and_months(typed: str, parsed: tuple[tuple[int, int], ...]) -> None:
    assert edits.parse_months(typed) == parsed
    assert edits.parse_months(edits.format_months(parsed)) == parsed


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2024:13", "2024 年工作月数 13 无效，应为 0—12"),
        ("2024:10，2024:9", "2024 年的工作月数填写了两次"),
        ("2024-10", "工作月数“2024-10”格式不正确，应写作 年份:月数，例如 2024:10"),
    ],
)
def test_months_refused_in_chinese(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        edits.parse_months(typed)


# ---------------------------------------------------------------- figures


def test_the_banner_names_members_who_joined_mid_term() -> None:
    c = edits.add_member(example(), SECOND, "p14", date(2026, 3, 1))
    lines = edits.expert_banner(c, SECOND, check_committees(c, as_of=COMMITTEES_AS_OF), DEFAULT_SETTINGS)
    texts = [line.text for line in lines]
    assert "届中增补 1 人：韩十四（2026-03-01 起），此前的会议不计入" in texts
    assert texts[0].startswith("10 人（单数 ✗）") and not lines[0].ok
    plain = example()
    plain_lines = edits.expert_banner(
        plain, SECOND, check_committees(plain, as_of=COMMITTEES_AS_OF), DEFAULT_SETTINGS
    )
    assert not any(line.text.startswith("届中增补") for line in plain_lines)


def test_year_lines_judge_complete_years_only() -> None:
    flagged = [violation("M13c", "management_committee.meetings", "少于2次", "2024年 1次", "≥ 2次/年")]
    lines = edits.year_lines(
        Counter({2024: 1, 2025: 2, 2026: 1, 2022: 1}),
        [2024, 2025],
        2,
        "M13c",
        flagged,
        as_of=date(2026, 5, 1),
    )
    assert [(line.text, line.ok) for line in lines] == [
        ("2022 年 1 次（需 ≥ 2）（非完整年度，不检查）", True),
        ("2024 年 1 次（需 ≥ 2） ✗", False),  # ✗ exactly where the rule reported the year
        ("2025 年 2 次（需 ≥ 2） ✓", True),
        ("2026 年 1 次（需 ≥ 2）（年度未结束）", True),
    ]


def test_the_banner_follows_the_rule_settings() -> None:
    c = example()
    settings = RuleSettings(expert_committee_odd=False)
    lines = edits.expert_banner(c, SECOND, check_committees(c, settings, as_of=COMMITTEES_AS_OF), settings)
    assert lines[0].text == "9 人" and lines[0].ok
