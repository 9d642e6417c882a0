"""Edits of a :class:`~.model.Committees` value and the live figures the committee editors show.

Every edit returns a new value (the editors push it on their undo stack); an edit that cannot be
made raises :class:`ValueError` with a Chinese message naming the field. The figures of the banners
are counted here, and whether each one is ✓ or ✗ is decided by the rule functions of
:mod:`.committees` (a figure is ✗ exactly when its rule reports a violation).

Members who join a term after it began (届中增补) carry their first day in office
(``ExpertTerm.joined``): :func:`add_member` takes it, :func:`set_joined` corrects it, and a meeting is
counted against the members in office on its day (:func:`.committees.meeting_roster`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .committees import (
    CO_BUILDER_ROLE,
    HOST_ROLE,
    MatchKind,
    UnitMatch,
    confirmation,
    from_host_or_co_builder,
    joined_on,
    management_meeting_years,
    meeting_roster,
    term_in_force,
    unit_key,
    unit_match,
)
from .dates import term_last_day
from .model import Committees, Director, ExpertTerm, ManagementCommittee, Meeting, Person
from .settings import RuleSettings
from .violations import Violation

OK = "✓"
BAD = "✗"


def mark(ok: bool) -> str:
    return OK if ok else BAD


# ------------------------------------------------------------------ people


def new_person_id(c: Committees) -> str:
    used = {p.id for p in c.people}
    n = 1
    while f"new-{n}" in used:
        n += 1
    return f"new-{n}"


def with_person(c: Committees, person: Person) -> Committees:
    """``c`` with ``person`` added, or replaced when its id is already there."""
    if any(p.id == person.id for p in c.people):
        return replace(c, people=tuple(person if p.id == person.id else p for p in c.people))
    return replace(c, people=(*c.people, person))


# ------------------------------------------------------------------ expert terms


def with_term(c: Committees, index: int, term: ExpertTerm) -> Committees:
    terms = list(c.expert_committee_terms)
    terms[index] = term
    return replace(c, expert_committee_terms=tuple(terms))


def term_label(index: int) -> str:
    return f"专家指导委员会第{index + 1}届"


def add_member(c: Committees, index: int, person_id: str, joined: date | None = None) -> Committees:
    """``person_id`` added to term ``index``: from the term's start, or — ``joined`` after the start —
    from that day (届中增补); a date after the term's end is refused (ValueError)."""
    t = c.expert_committee_terms[index]
    if person_id in t.members:
        return c
    return set_joined(
        with_term(c, index, replace(t, members=(*t.members, person_id))), index, person_id, joined
    )


def set_joined(c: Committees, index: int, person_id: str, day: date | None) -> Committees:
    """The first day in office of member ``person_id`` of term ``index``: ``day`` when it comes after
    the term's start; None (or a day on or before the start) means from the start. A day after the
    term's end is refused (ValueError naming the field)."""
    t = c.expert_committee_terms[index]
    if person_id not in t.members:
        raise ValueError(f"任职起始日期：{c.person(person_id).name}不是{term_label(index)}委员")
    if day is not None and day > t.end:
        raise ValueError(
            f"任职起始日期：{day.isoformat()} 晚于{term_label(index)}任期结束日期 {t.end.isoformat()}，"
            "请填写任期内的日期"
        )
    rest = tuple((p, d) for p, d in t.joined if p != person_id)
    if day is not None and day > t.start:
        order = {p: n for n, p in enumerate(t.members)}
        rest = tuple(sorted((*rest, (person_id, day)), key=lambda e: order.get(e[0], len(order))))
    return with_term(c, index, replace(t, joined=rest))


def default_join_day(term: ExpertTerm, today: date) -> date:
    """The first day in office offered for a member added now: today while the term runs (届中增补),
    else the term's start (a term being set up, or one of the past being recorded)."""
    return today if term.start < today <= term.end else term.start


def remove_member(c: Committees, index: int, row: int) -> Committees:
    t = c.expert_committee_terms[index]
    if len(t.members) <= 1:  # a term keeps at least its chair
        return c
    members = list(t.members)
    gone = members.pop(row)
    chair = t.chair if t.chair != gone else (members[0] if members else "")
    joined = tuple((p, d) for p, d in t.joined if p != gone)
    # Meetings already held keep their attendance: the record of who was there does not change.
    return with_term(c, index, replace(t, members=tuple(members), chair=chair, joined=joined))


def with_term_dates(c: Committees, index: int, start: date, end: date, filed: date | None) -> Committees:
    """Term ``index`` with new dates. Refused (ValueError naming the field): an end before the start,
    an end before a member's first day in office. A member whose first day falls on or before the
    new start is from then on a member from the start."""
    t = c.expert_committee_terms[index]
    if end < start:
        raise ValueError(
            f"任期结束日期：{end.isoformat()} 早于任期开始日期 {start.isoformat()}，未修改；请先核对两个日期"
        )
    late = [(p, d) for p, d in t.joined if d > end]
    if late:
        p, d = late[0]
        raise ValueError(
            f"任期结束日期：{end.isoformat()} 早于委员{c.person(p).name}的任职起始日期 {d.isoformat()}，"
            "未修改；请先核对该委员的任职起始日期"
        )
    joined = tuple((p, d) for p, d in t.joined if d > start)
    return with_term(c, index, replace(t, start=start, end=end, filed=filed, joined=joined))


def join_dates(c: Committees) -> list[str]:
    """Every 届中增补 of the record as ``第2届 张三 2026-03-01`` (to compare a saved record with what
    was sent to be saved)."""
    return [
        f"第{i + 1}届 {c.person(p).name} {d.isoformat()}"
        for i, t in enumerate(c.expert_committee_terms)
        for p, d in t.joined
        if p in t.members and d > t.start
    ]


def move_member(c: Committees, index: int, row: int, delta: int) -> Committees:
    t = c.expert_committee_terms[index]
    target = row + delta
    if not 0 <= target < len(t.members):
        return c
    members = list(t.members)
    members[row], members[target] = members[target], members[row]
    return with_term(c, index, replace(t, members=tuple(members)))


def set_chair(c: Committees, index: int, person_id: str) -> Committees:
    return with_term(c, index, replace(c.expert_committee_terms[index], chair=person_id))


def renew_term(c: Committees, settings: RuleSettings) -> Committees:
    """换届: a new term from the day after the last one ends, starting from its roster and chair."""
    last = c.expert_committee_terms[-1]
    start = last.end + timedelta(days=1)
    end = term_last_day(start, settings.expert_term_years)
    term = ExpertTerm(start, end, last.chair, last.members, None, ())
    return replace(c, expert_committee_terms=(*c.expert_committee_terms, term))


def first_term(
    c: Committees, start: date, chair: str, members: tuple[str, ...], settings: RuleSettings
) -> Committees:
    end = term_last_day(start, settings.expert_term_years)
    return replace(c, expert_committee_terms=(ExpertTerm(start, end, chair, members, None, ()),))


# ------------------------------------------------------------------ directors and management committee


def with_directors(c: Committees, directors: list[Director]) -> Committees:
    return replace(c, directors=tuple(sorted(directors, key=lambda d: d.appointed)))


_MONTHS_RE = re.compile(r"^\s*(\d{4})\s*[:：]\s*(\d{1,2})\s*$")


def parse_months(text: str) -> tuple[tuple[int, int], ...]:
    """``2023:10，2024:9`` → ((2023, 10), (2024, 9)); ValueError (Chinese) on a bad entry."""
    out: list[tuple[int, int]] = []
    for part in re.split(r"[,，;；、\s]+", text.strip()):
        if not part:
            continue
        m = _MONTHS_RE.match(part)
        if not m:
            raise ValueError(f"工作月数“{part}”格式不正确，应写作 年份:月数，例如 2024:10")
        year, months = int(m[1]), int(m[2])
        if not 0 <= months <= 12:
            raise ValueError(f"{year} 年工作月数 {months} 无效，应为 0—12")
        if any(y == year for y, _ in out):
            raise ValueError(f"{year} 年的工作月数填写了两次")
        out.append((year, months))
    return tuple(out)


def format_months(months: tuple[tuple[int, int], ...]) -> str:
    return "，".join(f"{y}:{m}" for y, m in months)


def with_management(c: Committees, mc: ManagementCommittee | None) -> Committees:
    return replace(c, management_committee=mc)


# ------------------------------------------------------------------ meetings

MANAGEMENT, EXPERT = "management", "expert"


@dataclass(frozen=True, slots=True)
class MeetingRef:
    """Where a meeting lives in the value: the management committee, or term ``term`` of the expert one."""

    term: int | None
    position: int
    meeting: Meeting

    def path(self) -> str:
        if self.term is None:
            return f"management_committee.meetings[{self.position}]"
        return f"expert_committee_terms[{self.term}].meetings[{self.position}]"


def meeting_refs(c: Committees, committee: str) -> list[MeetingRef]:
    """The meetings of ``committee`` (:data:`MANAGEMENT` or :data:`EXPERT`), by date."""
    if committee == MANAGEMENT:
        mc = c.management_committee
        refs = [MeetingRef(None, j, m) for j, m in enumerate(mc.meetings)] if mc else []
    else:
        refs = [
            MeetingRef(i, j, m)
            for i, t in enumerate(c.expert_committee_terms)
            for j, m in enumerate(t.meetings)
        ]
    return sorted(refs, key=lambda r: r.meeting.date)


def members_in_force(c: Committees, ref: MeetingRef) -> tuple[str, ...]:
    """The members a meeting is counted against: the management committee's, or the expert
    committee's members in office on the meeting's day (M16b, :func:`.committees.meeting_roster`)."""
    if ref.term is None:
        mc = c.management_committee
        return mc.members if mc else ()
    return meeting_roster(c, ref.term, ref.meeting.date)


def attendee_note(c: Committees, ref: MeetingRef, person_id: str) -> str:
    """Why ``person_id`` is not counted for the meeting at ``ref`` (``""`` when they are): a member
    who joined after the meeting, or someone not on the roster."""
    if person_id in members_in_force(c, ref):
        return ""
    if ref.term is not None:
        i = term_in_force(c, ref.meeting.date)
        term = c.expert_committee_terms[ref.term if i is None else i]
        if person_id in term.members:
            return f"{joined_on(term, person_id).isoformat()} 起任委员，不计入"
    return "非本届委员"


def with_meeting(c: Committees, ref: MeetingRef, meeting: Meeting | None) -> Committees:
    """``c`` with the meeting at ``ref`` replaced (or removed when ``meeting`` is None)."""
    if ref.term is None:
        mc = c.management_committee
        assert mc is not None
        ms = list(mc.meetings)
        if meeting is None:
            ms.pop(ref.position)
        else:
            ms[ref.position] = meeting
        return replace(c, management_committee=ManagementCommittee(mc.members, tuple(ms)))
    t = c.expert_committee_terms[ref.term]
    ms = list(t.meetings)
    if meeting is None:
        ms.pop(ref.position)
    else:
        ms[ref.position] = meeting
    return with_term(c, ref.term, replace(t, meetings=tuple(ms)))


def add_meeting(c: Committees, committee: str, day: date) -> Committees:
    """A meeting on ``day`` attended by every member in office that day (the clerk unticks the
    absent); an expert committee meeting outside every term is refused (ValueError)."""
    if committee == MANAGEMENT:
        mc = c.management_committee
        assert mc is not None
        ms = tuple(sorted((*mc.meetings, Meeting(day, mc.members)), key=lambda m: m.date))
        return replace(c, management_committee=ManagementCommittee(mc.members, ms))
    i = term_in_force(c, day)
    if i is None:
        raise ValueError(f"会议日期：{day.isoformat()} 不在专家指导委员会任何一届的任期内")
    t = c.expert_committee_terms[i]
    present = meeting_roster(c, i, day)
    ms = tuple(sorted((*t.meetings, Meeting(day, present)), key=lambda m: m.date))
    return with_term(c, i, replace(t, meetings=ms))


# ------------------------------------------------------------------ figures


def term_path(index: int) -> str:
    return f"expert_committee_terms[{index}]"


def _has(violations: list[Violation], rule: str, path: str) -> bool:
    return any(v.rule == rule and (v.path == path or v.path.startswith(path + ".")) for v in violations)


def consecutive_chair_terms(c: Committees, index: int) -> int:
    terms = c.expert_committee_terms
    run = 1
    i = index
    while i > 0 and terms[i - 1].chair == terms[i].chair:
        run += 1
        i -= 1
    return run


def replaced_count(c: Committees, index: int) -> tuple[int, int] | None:
    """(members of the previous term not in this one, size of the previous term), or None for the first."""
    if index == 0:
        return None
    prev, term = c.expert_committee_terms[index - 1], c.expert_committee_terms[index]
    return sum(1 for p in prev.members if p not in term.members), len(prev.members)


@dataclass(frozen=True, slots=True)
class BannerLine:
    text: str
    ok: bool


def expert_banner(
    c: Committees, index: int, violations: list[Violation], settings: RuleSettings
) -> list[BannerLine]:
    """The live figures of term ``index``: size, own-unit share, chair, replacement at 换届."""
    t = c.expert_committee_terms[index]
    path = term_path(index)
    members_path = f"{path}.members"
    n = len(t.members)
    size_ok = not any(v.rule == "M14b" and v.path == members_path for v in violations)
    odd = n % 2 == 1
    lo, hi = settings.expert_committee_min_size, settings.expert_committee_max_size
    size = f"{n} 人（单数 {mark(odd)}）" if settings.expert_committee_odd else f"{n} 人"
    if not lo <= n <= hi:
        size += f"，应为 {lo}—{hi} 人 {BAD}"
    lines = [BannerLine(size, size_ok)]

    matches = [unit_match(c.person(p), c) for p in t.members]
    own = sum(1 for m in matches if m is not None)
    pending = sum(1 for m in matches if m is not None and m.likely)
    share = settings.expert_max_own_share
    own_ok = not any(v.rule == "M14c" and v.path == members_path for v in violations)
    waiting = f"（{pending} 人待确认）" if pending else ""
    lines.append(
        BannerLine(
            f"依托/共建单位 {own}/{n}{waiting} ≤ {share.numerator}/{share.denominator} {mark(own_ok)}", own_ok
        )
    )

    if t.chair in t.members:
        chair = c.person(t.chair)
        outside = not from_host_or_co_builder(chair, c)
        run = consecutive_chair_terms(c, index)
        run_ok = not _has(violations, "M15b", f"{path}.chair")
        where_ok = not _has(violations, "M15a", f"{path}.chair")
        where = f"外单位 {OK}" if outside and where_ok else f"依托/共建单位 {BAD}"
        run_text = f"连续第 {run} 届" + (
            "" if run_ok else f"（最多 {settings.chair_max_consecutive_terms} 届）{BAD}"
        )
        lines.append(BannerLine(f"主任委员：{where}，{run_text}", where_ok and run_ok))
    else:
        lines.append(BannerLine(f"主任委员：未指定 {BAD}", False))

    later = [(p, joined_on(t, p)) for p in t.members if joined_on(t, p) > t.start]
    if later:
        names = "、".join(f"{c.person(p).name}（{d.isoformat()} 起）" for p, d in later)
        lines.append(BannerLine(f"届中增补 {len(later)} 人：{names}，此前的会议不计入", True))

    counted = replaced_count(c, index)
    if counted is None:
        lines.append(BannerLine("首届，无换届更换要求", True))
    else:
        replaced, prev = counted
        need = math.ceil(prev * settings.expert_min_replacement_share)
        ok = not _has(violations, "M14f", members_path)
        lines.append(BannerLine(f"换届更换 {replaced}/{prev}，需 ≥ {need} {mark(ok)}", ok))
    return lines


def management_banner(
    c: Committees, violations: list[Violation], settings: RuleSettings, as_of: date
) -> list[BannerLine]:
    mc = c.management_committee
    if mc is None:
        return [BannerLine(f"未成立管理委员会 {BAD}", False)]
    n = len(mc.members)
    own = sum(1 for p in mc.members if from_host_or_co_builder(c.person(p), c))
    ok = not any(v.rule == "M13b" for v in violations)
    units = "依托/共建单位" if c.co_builders else "依托单位"
    lines = [BannerLine(f"{n} 人，{units} {own}/{n} 过半数 {mark(ok)}", ok)]
    lines += year_lines(
        Counter(m.date.year for m in mc.meetings),
        management_meeting_years(c, as_of),
        settings.management_min_meetings,
        "M13c",
        violations,
        as_of=as_of,
    )
    return lines


def year_lines(
    per_year: Counter[int],
    checked: list[int],
    minimum: int,
    rule: str,
    violations: list[Violation],
    *,
    as_of: date,
) -> list[BannerLine]:
    """One line per year the rule checks (the rule module's own list), and per year with meetings:
    ``2024 年 2 次 ✓``.  A year still in progress shows its count without a mark (it is only judged
    once it ends); so does a year the body existed only part of (not a complete year of it).
    """
    flagged = {int(v.actual.split("年")[0]) for v in violations if v.rule == rule and "年" in v.actual}
    out = []
    for y in sorted(set(checked) | set(per_year)):
        ok = y not in flagged
        if y in checked:
            judged = f" {mark(ok)}"
        elif y >= as_of.year:
            judged = "（年度未结束）"
        else:
            judged = "（非完整年度，不检查）"
        out.append(BannerLine(f"{y} 年 {per_year.get(y, 0)} 次（需 ≥ {minimum}）{judged}", ok))
    return out


@dataclass(frozen=True, slots=True)
class UnitQuestion:
    """A member's unit that only likely is the host's or a co-builder's (or one the clerk answered):
    the question 属于/不属于 the roster asks once."""

    unit: str  # the member's unit as written
    match: UnitMatch | None  # the unit it likely is (None: the clerk said it is not part of any)
    of: str  # the host's or co-builder's name the question is about
    role: str  # 依托单位 / 共建单位
    answer: bool | None  # the clerk's answer so far
    names: tuple[str, ...]  # the people of the list with this unit


def unit_question(c: Committees, person_id: str, members: tuple[str, ...]) -> UnitQuestion | None:
    """The question about ``person_id``'s unit: asked where the unit only likely is the host's or a
    co-builder's, shown again (to correct it) where the clerk has answered; None otherwise."""
    person = c.person(person_id)
    key = unit_key(person.organization)
    if not key:
        return None
    m = unit_match(person, c)
    if m is not None and m.kind in (MatchKind.CODE, MatchKind.NAME):
        return None
    units = [(c.host, HOST_ROLE), *((u, CO_BUILDER_ROLE) for u in c.co_builders)]
    found = None
    for unit, role in units:
        answer = confirmation(c, person.organization, unit.name)
        if m is not None and m.unit == unit:
            found = (unit.name, role, answer)
            break
        if answer is not None and found is None:
            found = (unit.name, role, answer)
    if found is None:
        return None
    names = tuple(c.person(p).name for p in members if unit_key(c.person(p).organization) == key)
    return UnitQuestion(person.organization, m, found[0], found[1], found[2], names)
