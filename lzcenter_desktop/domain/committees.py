"""第四章 运行管理 — director and committees: rules M11–M16.

People are matched across terms by their person id (the stable person record of the file).
A person "comes from" the host or a co-building unit when the organization's credit code is
that unit's (both codes given) or, where a code is missing, when the organization's name is
the unit's name.  "Each calendar year" means each complete year (see :func:`dates.complete_years`).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from fractions import Fraction

from . import text
from .catalog import sort_violations, violation
from .dates import age_on, complete_years, term_last_day
from .model import Committees, ExpertTerm, Person, PersonCategory
from .settings import DEFAULT_SETTINGS, RuleSettings
from .violations import Violation

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


def from_host_or_co_builder(person: Person, c: Committees) -> bool:
    """Whether the person's organization is the host or one of the co-building units."""
    for unit in (c.host, *c.co_builders):
        if person.organization_credit_code and unit.credit_code:
            if person.organization_credit_code.strip().upper() == unit.credit_code.strip().upper():
                return True
        elif person.organization.strip() and person.organization.strip() == unit.name.strip():
            return True
    return False


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
        served_until = successor.appointed - timedelta(days=1) if successor else None
        for year in complete_years(d.appointed, as_of, served_until):
            months = d.months_in(year)
            if months is None:
                out.append(
                    violation(
                        "M12b",
                        f"{path}.months_worked",
                        f"未填报中心主任{person.name} {year} 年在中心的工作时间",
                        "未填报",
                        f"≥ {settings.director_min_months}个月",
                    )
                )
            elif months < settings.director_min_months:
                out.append(
                    violation(
                        "M12b",
                        f"{path}.months_worked.{year}",
                        f"中心主任{person.name} {year} 年在中心工作 {months} "
                        f"个月，要求不少于{settings.director_min_months}个月",
                        f"{months}个月",
                        f"≥ {settings.director_min_months}个月",
                    )
                )
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
    return out


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
    own = sum(1 for pid in mc.members if from_host_or_co_builder(c.person(pid), c))
    if own * 2 <= n:
        units = "依托单位、共建单位" if c.co_builders else "依托单位"
        outsiders = [pid for pid in mc.members if not from_host_or_co_builder(c.person(pid), c)]
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
    per_year = Counter(m.date.year for m in mc.meetings)
    for year in complete_years(c.center.recognized, as_of):
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


# ------------------------------------------------------------------ 第十四条—第十六条


def _term_in_force(terms: tuple[ExpertTerm, ...], day: date) -> ExpertTerm | None:
    found = None
    for t in terms:
        if t.start <= day <= t.end:
            found = t
    return found


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
        if from_host_or_co_builder(chair, c):
            out.append(
                violation(
                    "M15a",
                    f"{path}.chair",
                    f"{span}主任{chair.name}来自{chair.organization}（"
                    "依托单位或共建单位），应由非依托单位、共建单位的专家担任",
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
    own = [pid for pid in term.members if from_host_or_co_builder(c.person(pid), c)]
    if n and Fraction(len(own), n) > settings.expert_max_own_share:
        out.append(
            violation(
                "M14c",
                f"{path}.members",
                f"专家指导委员会{span}中依托单位和共建单位人员 "
                f"{text.ratio(len(own), n)}（{_names(c, own)}），"
                f"要求{text.at_most(settings.expert_max_own_share)}",
                f"{len(own)}/{n}",
                text.at_most(settings.expert_max_own_share),
            )
        )
    for j, pid in enumerate(term.members):
        person = c.person(pid)
        if person.category not in EXPERT_CATEGORIES:
            out.append(
                violation(
                    "M14d",
                    f"{path}.members[{j}]",
                    f"委员{person.name}（{person.organization}）类别为“{CATEGORY_LABELS[person.category]}”，"
                    "不属于高校、院所、行业协会、上下游企业或中心负责人员，请复核",
                    CATEGORY_LABELS[person.category],
                    "高等院校、科研院所、行业协会、上下游企业、中心负责人员",
                )
            )
    return out


def _check_meetings(c: Committees, settings: RuleSettings, as_of: date) -> list[Violation]:
    out: list[Violation] = []
    terms = c.expert_committee_terms
    per_year = Counter(m.date.year for t in terms for m in t.meetings)
    checked: set[int] = set()
    for i, term in enumerate(terms):
        for year in complete_years(term.start, as_of, term.end):
            if year in checked:
                continue
            checked.add(year)
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
            in_force = _term_in_force(terms, meeting.date) or term
            members = set(in_force.members)
            present = sum(1 for pid in meeting.attendees if pid in members)
            n = len(members)
            if n and Fraction(present, n) < settings.min_attendance_share:
                out.append(
                    violation(
                        "M16b",
                        f"expert_committee_terms[{i}].meetings[{j}].attendees",
                        f"{text.day(meeting.date)} 专家指导委员会会议到会委员 {text.ratio(present, n)}，"
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
