"""第四章 运行管理 — director and committees: rules M11–M16.

People are matched across terms by their person id (the stable person record of the file).

Who "comes from" the host or a co-building unit (M13b, M14c, M15a) is decided by
:func:`unit_match`: the same credit code; else the same name once normalised (:func:`unit_key`);
else a unit whose name *begins* with the host's or co-builder's name (the host's own 研究院 or
工程技术研究中心) is *likely* one of theirs — counted as host-side, with a warning naming both
units, until the clerk confirms or denies it once (:class:`~.model.UnitConfirmation`).

"Each calendar year" (M12b, M13c, M16a) is every complete year of the span during which the centre
has had the body or the post without a gap (:func:`management_meeting_years`,
:func:`expert_meeting_years`, :func:`director_years`): terms and appointments that follow one
another are one span, and a year that straddles a change counts the meetings of both terms and the
months under both appointments.

M16b counts attendance against the roster in force on the meeting date (:func:`meeting_roster`):
the members of the term in force that day who were in office on it. A member who joined the term
after it began (届中增补, ``ExpertTerm.joined``) is in office from the day they joined — a meeting
held that very day counts them, one held the day before does not. A member taken off a term is not
on its roster at all (the editors treat it as a correction of the roster).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

from . import text
from .catalog import sort_violations, violation
from .dates import age_on, complete_years, term_last_day
from .model import Committees, Director, ExpertTerm, Person, PersonCategory, Unit
from .settings import DEFAULT_SETTINGS, RuleSettings
from .violations import Severity, Violation

EXPERT_CATEGORIES = frozenset(
    {
        PersonCategory.UNIVERSITY,
        PersonCategory.INSTITUTE,
        PersonCategory.ASSOCIATION,
        PersonCategory.ENTERPRISE_UPSTREAM,
        PersonCategory.ENTERPRISE_DOWNSTREAM,
        PersonCategory.CENTER_LEADER,
    }
)
# 第十四条 allows members of the host and co-building units (up to 1/3, M14c): not flagged by M14d
ALLOWED_CATEGORIES = EXPERT_CATEGORIES | {PersonCategory.HOST, PersonCategory.CO_BUILDER}

CATEGORY_LABELS = {
    PersonCategory.UNIVERSITY: "高等院校",
    PersonCategory.INSTITUTE: "科研院所",
    PersonCategory.ASSOCIATION: "行业协会",
    PersonCategory.ENTERPRISE_UPSTREAM: "上游企业",
    PersonCategory.ENTERPRISE_DOWNSTREAM: "下游企业",
    PersonCategory.CENTER_LEADER: "中心负责人员",
    PersonCategory.HOST: "依托单位",
    PersonCategory.CO_BUILDER: "共建单位",
    PersonCategory.OTHER: "其他",
}

HOST_ROLE = "依托单位"
CO_BUILDER_ROLE = "共建单位"


# ------------------------------------------------------------------ who comes from the host


def unit_key(name: str) -> str:
    """A unit's name as compared: NFKC (full-width letters, digits and brackets become half-width),
    without any space, （）and () alike, Latin letters case-folded."""
    folded = "".join(unicodedata.normalize("NFKC", name or "").split())
    return folded.replace("（", "(").replace("）", ")").casefold()


def _code(value: str | None) -> str:
    return (value or "").strip().upper()


class MatchKind(StrEnum):
    CODE = "code"  # the same credit code
    NAME = "name"  # the same name (normalised)
    CONFIRMED = "confirmed"  # the clerk confirmed the unit is part of it
    LIKELY = "likely"  # the name begins with its name; not confirmed either way


@dataclass(frozen=True, slots=True)
class UnitMatch:
    """The host or co-building unit a person's unit is (or likely is)."""

    unit: Unit
    role: str  # 依托单位 / 共建单位
    kind: MatchKind

    @property
    def likely(self) -> bool:
        return self.kind is MatchKind.LIKELY


def confirmation(c: Committees, unit: str, of: str) -> bool | None:
    """The clerk's decision whether ``unit`` is part of ``of`` (names compared normalised), if any."""
    unit_k, of_k = unit_key(unit), unit_key(of)
    found: bool | None = None
    for d in c.unit_confirmations:
        if unit_key(d.unit) == unit_k and unit_key(d.of) == of_k:
            found = d.belongs
    return found


def unit_match(person: Person, c: Committees) -> UnitMatch | None:
    """Whether the person's unit is the host or a co-building unit, and how that is known.

    1. the same credit code (both given);
    2. the clerk confirmed the unit is part of one of them;
    3. the same name once normalised (unless both codes are given and differ);
    4. a name that begins with one of their names (the longest wins), unless the clerk said it is
       not part of it: *likely*, counted as host-side and shown as a warning.
    """
    units = [(c.host, HOST_ROLE), *((u, CO_BUILDER_ROLE) for u in c.co_builders)]
    code = _code(person.organization_credit_code)
    for unit, role in units:
        if code and code == _code(unit.credit_code):
            return UnitMatch(unit, role, MatchKind.CODE)
    key = unit_key(person.organization)
    if not key:
        return None
    likely: UnitMatch | None = None
    likely_len = 0
    for unit, role in units:
        of = unit_key(unit.name)
        if not of:
            continue
        decided = confirmation(c, person.organization, unit.name)
        if decided:
            return UnitMatch(unit, role, MatchKind.CONFIRMED)
        both_codes = bool(code and _code(unit.credit_code))
        if key == of and not both_codes:
            return UnitMatch(unit, role, MatchKind.NAME)
        if key.startswith(of) and decided is None and len(of) > likely_len:
            likely, likely_len = UnitMatch(unit, role, MatchKind.LIKELY), len(of)
    return likely


def from_host_or_co_builder(person: Person, c: Committees) -> bool:
    """Whether the person counts as coming from the host or a co-building unit (likely included)."""
    return unit_match(person, c) is not None


def _likely(rule: str, path: str, who: str, person: Person, m: UnitMatch, counted: str) -> Violation:
    """The warning for a unit that only likely is the host's or a co-builder's (names both units)."""
    return violation(
        rule,
        path,
        f"{who}{person.name}的工作单位“{person.organization}”以{m.role}“{m.unit.name}”的名称开头，"
        f"暂按{m.role}人员计入{counted}；请在名单中确认该单位是否属于{m.role}",
        person.organization,
        f"确认是否属于{m.role}“{m.unit.name}”",
        Severity.WARNING,
    )


# ------------------------------------------------------------------ each calendar year


def _merged(periods: list[tuple[date, date, int]]) -> list[tuple[date, date, list[int]]]:
    """Periods (start, end, index) joined where one begins at the latest the day after the other ends."""
    spans: list[tuple[date, date, list[int]]] = []
    for start, end, i in sorted(periods, key=lambda p: (p[0], p[1])):
        if spans and start <= spans[-1][1] + timedelta(days=1):
            first, last, ids = spans[-1]
            spans[-1] = (first, max(last, end), [*ids, i])
        else:
            spans.append((start, end, [i]))
    return spans


def management_meeting_years(c: Committees, as_of: date) -> list[int]:
    """The years M13c checks: each complete year since the centre's recognition."""
    if c.management_committee is None:
        return []
    return complete_years(c.center.recognized, as_of)


def expert_meeting_years(c: Committees, as_of: date) -> dict[int, int]:
    """The years M16a checks, each with the term it is reported under (the last term begun by the
    year's end): each complete year of a run of terms without a gap, from the first term's start."""
    terms = c.expert_committee_terms
    out: dict[int, int] = {}
    for start, end, ids in _merged([(t.start, t.end, i) for i, t in enumerate(terms)]):
        for year in complete_years(start, as_of, end):
            year_end = date(year, 12, 31)
            out[year] = max((i for i in ids if terms[i].start <= year_end), key=lambda i: terms[i].start)
    return dict(sorted(out.items()))


def director_years(c: Committees, as_of: date) -> dict[int, tuple[int, ...]]:
    """The years M12b checks, each with the appointments in office during it (indices into
    ``c.directors``, oldest first): each complete year since the first appointment — a director
    stays in office until the next appointment, so the appointments are one span."""
    if not c.directors:
        return {}
    order = sorted(range(len(c.directors)), key=lambda i: c.directors[i].appointed)
    out: dict[int, tuple[int, ...]] = {}
    for year in complete_years(c.directors[order[0]].appointed, as_of):
        first, last = date(year, 1, 1), date(year, 12, 31)
        held = []
        for pos, i in enumerate(order):
            nxt = c.directors[order[pos + 1]].appointed if pos + 1 < len(order) else None
            if c.directors[i].appointed <= last and (nxt is None or nxt > first):
                held.append(i)
        out[year] = tuple(held)
    return out


def _names(c: Committees, ids: list[str] | tuple[str, ...]) -> str:
    return "、".join(c.person(i).name for i in ids)


# ------------------------------------------------------------------ 第十一条、第十二条


def check_directors(
    c: Committees, settings: RuleSettings = DEFAULT_SETTINGS, *, as_of: date
) -> list[Violation]:
    """M11 (filed), M12a (age at appointment), M12b (months per year), M12c (term ended)."""
    if not c.directors:
        return [violation("M11", "directors", "未记录中心主任的任命", "无", "依托单位任命并备案的主任")]
    out: list[Violation] = []
    order = sorted(range(len(c.directors)), key=lambda i: c.directors[i].appointed)
    for pos, i in enumerate(order):
        d = c.directors[i]
        path = f"directors[{i}]"
        person = c.person(d.person)
        if d.filed is None:
            out.append(
                violation(
                    "M11",
                    f"{path}.filed",
                    f"中心主任{person.name}的任命尚未报市科技局备案",
                    "未备案",
                    "已备案",
                )
            )
        age = age_on(person.birth_date, d.appointed)
        if age > settings.director_max_age:
            out.append(
                violation(
                    "M12a",
                    f"{path}.appointed",
                    f"中心主任{person.name}（{text.day(person.birth_date)}出生）于 "
                    f"{text.day(d.appointed)} 聘任时"
                    f"{age}周岁，要求不超过{settings.director_max_age}周岁",
                    f"{age}周岁",
                    f"≤ {settings.director_max_age}周岁",
                )
            )
        successor = c.directors[order[pos + 1]] if pos + 1 < len(order) else None
        if successor is None:
            term_end = term_last_day(d.appointed, settings.director_term_years)
            if as_of > term_end:
                out.append(
                    violation(
                        "M12c",
                        path,
                        f"中心主任{person.name} {text.day(d.appointed)} "
                        f"聘任，{settings.director_term_years}年任期已于"
                        f" {text.day(term_end)} 届满，未见续聘或新任主任",
                        f"任期至 {text.day(term_end)}",
                        "续聘或任命新主任",
                    )
                )
    for year, held in director_years(c, as_of).items():
        out += _check_months(c, year, held, settings)
    return out


def _check_months(c: Committees, year: int, held: tuple[int, ...], settings: RuleSettings) -> list[Violation]:
    """M12b for one year: the months under every appointment in office during it, added up."""
    reported = [(i, c.directors[i].months_in(year)) for i in held]
    known = [(i, m) for i, m in reported if m is not None]
    # the violation goes to the last appointment that reported the year, else the one at the year's end
    at = known[-1][0] if known else held[-1]
    path = f"directors[{at}]"
    minimum = settings.director_min_months
    if len({c.directors[i].person for i in held}) == 1:
        who = f"中心主任{c.person(c.directors[held[0]].person).name}"
    else:
        who = "中心主任（" + "、".join(_appointment(c.directors[i], c) for i in held) + "）"
    if not known:
        return [
            violation(
                "M12b",
                f"{path}.months_worked",
                f"未填报 {year} 年{who}在中心的工作时间",
                "未填报",
                f"≥ {minimum}个月",
            )
        ]
    total = sum(m for _i, m in known)
    if total >= minimum:
        return []
    if len(held) == 1:
        detail = f"{total} 个月"
    else:
        parts = "，".join(
            f"{_appointment(c.directors[i], c)}：{'未填报' if m is None else f'{m}个月'}" for i, m in reported
        )
        detail = f"共 {total} 个月（{parts}）"
    return [
        violation(
            "M12b",
            f"{path}.months_worked.{year}",
            f"{year} 年{who}在中心工作 {detail}，要求不少于{minimum}个月",
            f"{total}个月",
            f"≥ {minimum}个月",
        )
    ]


def _appointment(d: Director, c: Committees) -> str:
    return f"{c.person(d.person).name} {text.day(d.appointed)} 聘任"


# ------------------------------------------------------------------ 第十三条


def check_management_committee(
    c: Committees, settings: RuleSettings = DEFAULT_SETTINGS, *, as_of: date
) -> list[Violation]:
    """M13a (exists), M13b (mainly from host / co-building units), M13c (meetings per year)."""
    mc = c.management_committee
    if mc is None:
        return [
            violation(
                "M13a",
                "management_committee",
                "中心未成立管理委员会（原则上应成立）",
                "未成立",
                "成立管理委员会",
            )
        ]
    out: list[Violation] = []
    n = len(mc.members)
    matches = [unit_match(c.person(pid), c) for pid in mc.members]
    own = sum(1 for m in matches if m is not None)
    if own * 2 <= n:
        units = "依托单位、共建单位" if c.co_builders else "依托单位"
        outsiders = [pid for pid, m in zip(mc.members, matches, strict=True) if m is None]
        out.append(
            violation(
                "M13b",
                "management_committee.members",
                f"管理委员会 {n} 人中来自{units}的 {own} 人，未达多数；"
                f"外单位人员：{_names(c, outsiders) or '无'}",
                f"{own}/{n}",
                f"{units}人员过半数",
            )
        )
    for j, (pid, m) in enumerate(zip(mc.members, matches, strict=True)):
        if m is not None and m.likely:
            path = f"management_committee.members[{j}].organization"
            out.append(_likely("M13b", path, "管理委员会成员", c.person(pid), m, "（须过半数）"))
    per_year = Counter(m.date.year for m in mc.meetings)
    for year in management_meeting_years(c, as_of):
        count = per_year.get(year, 0)
        if count < settings.management_min_meetings:
            out.append(
                violation(
                    "M13c",
                    "management_committee.meetings",
                    f"管理委员会 {year} 年召开会议 {count} 次，"
                    f"要求每年至少{settings.management_min_meetings}次",
                    f"{year}年 {count}次",
                    f"≥ {settings.management_min_meetings}次/年",
                )
            )
    return out


# ------------------------------------------------------------------ who is in office on a day


def term_in_force(c: Committees, day: date) -> int | None:
    """The index of the expert committee's term in force on ``day`` (the latest listed where two
    overlap); None when ``day`` lies outside every term."""
    found = None
    for i, t in enumerate(c.expert_committee_terms):
        if t.start <= day <= t.end:
            found = i
    return found


def joined_on(term: ExpertTerm, person_id: str) -> date:
    """The first day ``person_id`` is a member of ``term``: the day they joined when that came after
    the term began (届中增补), else the term's start."""
    for pid, day in term.joined:
        if pid == person_id:
            return max(day, term.start)
    return term.start


def members_on(term: ExpertTerm, day: date) -> tuple[str, ...]:
    """The members of ``term`` in office on ``day``, in roster order: a member who joined on ``day``
    is in office that day."""
    return tuple(pid for pid in term.members if joined_on(term, pid) <= day)


def meeting_roster(c: Committees, term_index: int, day: date) -> tuple[str, ...]:
    """The members a meeting held on ``day`` (listed under term ``term_index``) is counted against
    (M16b): those of the term in force that day who were in office on it. A meeting outside every
    term is counted against the term it is listed under, as it stood at its nearest day."""
    i = term_in_force(c, day)
    if i is not None:
        return members_on(c.expert_committee_terms[i], day)
    term = c.expert_committee_terms[term_index]
    return members_on(term, min(max(day, term.start), term.end))


def joined_later(c: Committees, term_index: int, day: date) -> tuple[str, ...]:
    """Members of the term in force on ``day`` (else term ``term_index``) who joined after ``day``:
    on its roster, not counted for a meeting of that day."""
    i = term_in_force(c, day)
    term = c.expert_committee_terms[term_index if i is None else i]
    roster = meeting_roster(c, term_index, day)
    return tuple(pid for pid in term.members if pid not in roster)


def join_date_problems(c: Committees) -> list[tuple[str, str]]:
    """(path, Chinese message) for each 届中增补 date that cannot be: a person not on the term's
    roster, a date after the term's end, the same member twice. A date on or before the term's start
    only means "from the start" and is no problem."""
    out: list[tuple[str, str]] = []
    for i, term in enumerate(c.expert_committee_terms):
        seen: set[str] = set()
        for pid, day in term.joined:
            path = f"expert_committee_terms[{i}].joined"
            try:
                name = c.person(pid).name
            except KeyError:
                name = pid
            where = f"专家指导委员会第{i + 1}届"
            if pid not in term.members:
                out.append((path, f"{where}：{name}不在本届委员名单中，不能填写其任职起始日期"))
            elif pid in seen:
                out.append((path, f"{where}：{name}的任职起始日期填写了两次"))
            elif day > term.end:
                out.append(
                    (
                        path,
                        f"{where}：{name}的任职起始日期 {text.day(day)} 晚于本届任期结束日期 "
                        f"{text.day(term.end)}，请改为任期内的日期",
                    )
                )
            seen.add(pid)
    return out


# ------------------------------------------------------------------ 第十四条—第十六条


def check_expert_committee(
    c: Committees, settings: RuleSettings = DEFAULT_SETTINGS, *, as_of: date
) -> list[Violation]:
    """M14a–f, M15a–c and M16a–b for every term of the expert guidance committee."""
    terms = c.expert_committee_terms
    if not terms:
        return [
            violation(
                "M14a",
                "expert_committee_terms",
                "中心未设立专家指导委员会（原则上应设立）",
                "未设立",
                "设立专家指导委员会",
            )
        ]
    out: list[Violation] = []
    run = 0
    for i, term in enumerate(terms):
        path = f"expert_committee_terms[{i}]"
        span = f"第{i + 1}届（{text.day(term.start)}至{text.day(term.end)}）"
        out += _check_composition(c, term, path, span, settings)

        limit = term_last_day(term.start, settings.expert_term_years)
        if term.end > limit:
            out.append(
                violation(
                    "M14e",
                    f"{path}.end",
                    f"专家指导委员会{span}任期超过{settings.expert_term_years}年",
                    f"至 {text.day(term.end)}",
                    f"≤ {text.day(limit)}",
                )
            )
        if i == len(terms) - 1 and as_of > term.end:
            out.append(
                violation(
                    "M14e",
                    f"{path}.end",
                    f"专家指导委员会{span}任期已届满，未见换届",
                    f"任期至 {text.day(term.end)}",
                    "按期换届",
                )
            )
        if i > 0:
            prev = terms[i - 1]
            replaced = [pid for pid in prev.members if pid not in term.members]
            size = len(prev.members)
            if size and Fraction(len(replaced), size) < settings.expert_min_replacement_share:
                out.append(
                    violation(
                        "M14f",
                        f"{path}.members",
                        f"{span}换届更换上届委员 {text.ratio(len(replaced), size)}，"
                        f"要求更换{text.at_least(settings.expert_min_replacement_share)}",
                        f"{len(replaced)}/{size}",
                        text.at_least(settings.expert_min_replacement_share),
                    )
                )

        chair = c.person(term.chair)
        chair_unit = unit_match(chair, c)
        if chair_unit is not None:
            where = f"{chair_unit.role}“{chair_unit.unit.name}”"
            if chair_unit.likely:
                where += (
                    f"（按名称判断，待确认；如“{chair.organization}”不属于{chair_unit.role}，请在名单中确认）"
                )
            out.append(
                violation(
                    "M15a",
                    f"{path}.chair",
                    f"{span}主任{chair.name}来自{chair.organization}，属于{where}，"
                    "应由非依托单位、共建单位的专家担任",
                    chair.organization,
                    "非依托单位、共建单位的专家",
                )
            )
        run = run + 1 if i > 0 and terms[i - 1].chair == term.chair else 1
        if run > settings.chair_max_consecutive_terms:
            out.append(
                violation(
                    "M15b",
                    f"{path}.chair",
                    f"{chair.name}连续第{run}届担任专家指导委员会主任，"
                    f"连续任职不得超过{settings.chair_max_consecutive_terms}届",
                    f"连续{run}届",
                    f"≤ {settings.chair_max_consecutive_terms}届",
                )
            )
        if term.filed is None:
            out.append(
                violation(
                    "M15c",
                    f"{path}.filed",
                    f"专家指导委员会{span}主任和委员的聘任尚未报市科技局备案",
                    "未备案",
                    "已备案",
                )
            )
    out += _check_meetings(c, settings, as_of)
    return out


def _check_composition(
    c: Committees, term: ExpertTerm, path: str, span: str, settings: RuleSettings
) -> list[Violation]:
    out: list[Violation] = []
    n = len(term.members)
    lo, hi = settings.expert_committee_min_size, settings.expert_committee_max_size
    odd = settings.expert_committee_odd
    if not lo <= n <= hi or (odd and n % 2 == 0):
        required = f"{lo}—{hi}人" + ("且为单数" if odd else "")
        out.append(
            violation(
                "M14b", f"{path}.members", f"专家指导委员会{span}{n}人，要求{required}", f"{n}人", required
            )
        )
    matches = [unit_match(c.person(pid), c) for pid in term.members]
    own = [(pid, m) for pid, m in zip(term.members, matches, strict=True) if m is not None]
    if n and Fraction(len(own), n) > settings.expert_max_own_share:
        names = "、".join(c.person(pid).name + ("（待确认）" if m.likely else "") for pid, m in own)
        out.append(
            violation(
                "M14c",
                f"{path}.members",
                f"专家指导委员会{span}中依托单位和共建单位人员 "
                f"{text.ratio(len(own), n)}（{names}），"
                f"要求{text.at_most(settings.expert_max_own_share)}",
                f"{len(own)}/{n}",
                text.at_most(settings.expert_max_own_share),
            )
        )
    for j, m in enumerate(matches):
        if m is not None and m.likely:
            who = f"{span}委员"
            out.append(
                _likely(
                    "M14c",
                    f"{path}.members[{j}].organization",
                    who,
                    c.person(term.members[j]),
                    m,
                    "（不超过三分之一）",
                )
            )
    for j, pid in enumerate(term.members):
        person = c.person(pid)
        if person.category not in ALLOWED_CATEGORIES:
            label = CATEGORY_LABELS.get(person.category, str(person.category))
            out.append(
                violation(
                    "M14d",
                    f"{path}.members[{j}]",
                    f"委员{person.name}（{person.organization}）类别为“{label}”，"
                    "不属于高校、院所、行业协会、上下游企业、中心负责人员或依托单位、共建单位，请复核",
                    label,
                    "高等院校、科研院所、行业协会、上下游企业、中心负责人员（依托单位、共建单位人员不超过三分之一）",
                )
            )
    return out


def _check_meetings(c: Committees, settings: RuleSettings, as_of: date) -> list[Violation]:
    out: list[Violation] = []
    terms = c.expert_committee_terms
    per_year = Counter(m.date.year for t in terms for m in t.meetings)
    for year, i in expert_meeting_years(c, as_of).items():
        count = per_year.get(year, 0)
        if count < settings.expert_min_meetings:
            out.append(
                violation(
                    "M16a",
                    f"expert_committee_terms[{i}].meetings",
                    f"专家指导委员会 {year} 年召开会议 {count} 次，"
                    f"要求每年至少{settings.expert_min_meetings}次",
                    f"{year}年 {count}次",
                    f"≥ {settings.expert_min_meetings}次/年",
                )
            )
    for i, term in enumerate(terms):
        for j, meeting in enumerate(term.meetings):
            members = set(meeting_roster(c, i, meeting.date))
            present = sum(1 for pid in meeting.attendees if pid in members)
            n = len(members)
            if n and Fraction(present, n) < settings.min_attendance_share:
                later = joined_later(c, i, meeting.date)
                counted = (
                    f"（按会议当日在任的 {n} 名委员计，{_names(c, later)}于会后增补，不计入）"
                    if later
                    else ""
                )
                out.append(
                    violation(
                        "M16b",
                        f"expert_committee_terms[{i}].meetings[{j}].attendees",
                        f"{text.day(meeting.date)} 专家指导委员会会议到会委员 "
                        f"{text.ratio(present, n)}{counted}，"
                        f"要求{text.at_least(settings.min_attendance_share)}",
                        f"{present}/{n}",
                        text.at_least(settings.min_attendance_share),
                    )
                )
    return out


# ------------------------------------------------------------------ entry point


def check_committees(
    c: Committees, settings: RuleSettings = DEFAULT_SETTINGS, *, as_of: date
) -> list[Violation]:
    """Every rule of 第十一条 to 第十六条 on a centre's people and committees, in catalog order."""
    out = check_directors(c, settings, as_of=as_of)
    out += check_management_committee(c, settings, as_of=as_of)
    out += check_expert_committee(c, settings, as_of=as_of)
    return sort_violations(out)
