"""第三章 申报与认定 — declaration eligibility: rules D9.* (D10.2, D25 and D26 live in
:mod:`application_rules`; :func:`check_declaration` runs them all).

Each ``check_*`` function checks one group of conditions of 第九条 (or the article named) and
returns its violations; :func:`check_declaration` runs them all and sorts the result in catalog
order.  The reference date ``ref`` is the application date unless ``as_of`` is given.

Items are counted once (D9.3, D9.4a, D9.4b): a person by name + birth date (the format has no ID
number), an achievement by its number (patent, standard, award) else its normalised title, a
project by normalised name + level (the format has no project number).  A repeated row is
reported as its own error under the same rule, on the repeated row (``staff[7]``), naming both
rows as the clerk sees them (第8行与第3行重复), and is never counted twice.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from fractions import Fraction
from typing import TypeVar

from . import credit_code, text
from .application_rules import check_names, check_reapplication, check_signature
from .catalog import sort_violations, violation
from .dates import age_on, within_recent_years, years_after, years_before
from .model import (
    ORG_KIND_LABELS,
    PROJECT_LEVEL_LABELS,
    Achievement,
    AchievementKind,
    CooperationKind,
    Declaration,
    Degree,
    OrgKind,
    Project,
    ProjectLevel,
    Staff,
    Title,
)
from .settings import DEFAULT_SETTINGS, RuleSettings
from .violations import Severity, Violation

BACHELOR_OR_HIGHER = frozenset({Degree.DOCTOR, Degree.MASTER, Degree.BACHELOR})
INTERMEDIATE_OR_HIGHER = frozenset({Title.SENIOR, Title.ASSOCIATE_SENIOR, Title.INTERMEDIATE})
COUNTED_ACHIEVEMENTS = frozenset(
    {
        AchievementKind.NEW_TECHNOLOGY,
        AchievementKind.NEW_PRODUCT,
        AchievementKind.STANDARD,
        AchievementKind.AWARD,
        AchievementKind.INVENTION_PATENT,
    }
)
ACADEMIC_KINDS = frozenset({OrgKind.UNIVERSITY, OrgKind.INSTITUTE})


T = TypeVar("T")


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def normalised(value: str | None) -> str:
    """How two spellings of one name or number are compared: NFKC, whitespace removed, case-folded
    (``ZL 2023１0000001.1`` and ``zl20231000000１.1`` are the same)."""
    return "".join(unicodedata.normalize("NFKC", value or "").split()).casefold()


def first_rows(rows: Sequence[T], same: Callable[[T, T], bool]) -> list[int | None]:
    """For each row, the index of the earlier row it repeats (``None`` for a row seen first).

    A repeat is always matched to a row seen first, so a row listed three times names the first
    row twice."""
    firsts: list[int | None] = []
    for i, row in enumerate(rows):
        firsts.append(next((j for j in range(i) if firsts[j] is None and same(rows[j], row)), None))
    return firsts


def same_staff(a: Staff, b: Staff) -> bool:
    """The same person: same normalised name and same birth date."""
    return (
        bool(normalised(a.name)) and normalised(a.name) == normalised(b.name) and a.birth_date == b.birth_date
    )


def same_project(a: Project, b: Project) -> bool:
    """The same project: same normalised name at the same level."""
    return bool(normalised(a.name)) and normalised(a.name) == normalised(b.name) and a.level is b.level


def same_achievement(a: Achievement, b: Achievement) -> bool:
    """The same achievement: the same number (patent, standard, award) where both rows give one,
    else the same normalised title."""
    na, nb = normalised(a.number), normalised(b.number)
    if na and nb:
        return na == nb
    return bool(normalised(a.title)) and normalised(a.title) == normalised(b.title)


def _duplicates(
    rule: str, table: str, label: str, firsts: Sequence[int | None], describe: Callable[[int], str], hint: str
) -> list[Violation]:
    out: list[Violation] = []
    for i, j in enumerate(firsts):
        if j is None:
            continue
        out.append(
            violation(
                rule,
                f"{table}[{i}]",
                f"{label}第{i + 1}行与第{j + 1}行重复（{describe(i)}），{hint}",
                f"第{i + 1}行与第{j + 1}行重复",
                "每项只填写一行",
            )
        )
    return out


def _count_once(rows: Sequence[T], firsts: Sequence[int | None], counts: Callable[[T], bool]) -> int:
    """How many different items count: a row and its repeats are one item, which counts when any
    of its rows does."""
    return len(
        {i if j is None else j for i, (row, j) in enumerate(zip(rows, firsts, strict=True)) if counts(row)}
    )


def _repeats_note(firsts: Sequence[int | None]) -> str:
    repeats = sum(1 for j in firsts if j is not None)
    return f"（重复的 {repeats} 行不计）" if repeats else ""


# ------------------------------------------------------------------ 第九条（一）


def check_organizations(decl: Declaration, settings: RuleSettings = DEFAULT_SETTINGS) -> list[Violation]:
    """D9.0 (same organization twice) and D9.1a (credit codes; host registered in Liuzhou)."""
    out: list[Violation] = []
    orgs: list[tuple[str, str, str, bool]] = [("host", decl.host.name, decl.host.credit_code, True)]
    orgs += [(f"co_builders[{i}]", o.name, o.credit_code, False) for i, o in enumerate(decl.co_builders)]
    orgs += [
        (f"joint_applicants[{i}]", o.name, o.credit_code, True) for i, o in enumerate(decl.joint_applicants)
    ]

    seen_codes: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    for path, name, code, applicant in orgs:
        key_code = code.strip().upper()
        key_name = name.strip()
        first = seen_codes.get(key_code) if key_code else None
        if first is None and key_name:
            first = seen_names.get(key_name)
        if first is not None:
            out.append(
                violation(
                    "D9.0",
                    path,
                    f"“{name}”与 {first} 是同一单位，同一单位在申报书中只能出现一次",
                    f"与 {first} 重复",
                    "每个单位只出现一次",
                )
            )
        if key_code:
            seen_codes.setdefault(key_code, path)
        if key_name:
            seen_names.setdefault(key_name, path)

        result = credit_code.validate(code)
        who = "依托单位" if path == "host" else ("联合申报单位" if applicant else "共建单位")
        if not result.valid:
            out.append(
                violation(
                    "D9.1a",
                    f"{path}.credit_code",
                    f"{who}“{name}”的统一社会信用代码无效：{result.error}",
                    code or "（空）",
                    "有效的18位统一社会信用代码",
                    Severity.ERROR,
                )
            )
        elif applicant and not result.in_liuzhou:
            out.append(
                violation(
                    "D9.1a",
                    f"{path}.credit_code",
                    f"{who}“{name}”的登记机关行政区划代码为 {result.division_code}，不在柳州市（4502xx）；"
                    "请核实其是否在柳州市依法从事经营活动（如分支机构）",
                    f"行政区划代码 {result.division_code}",
                    "柳州市（4502xx）",
                    Severity.WARNING,
                )
            )
    return out


# ------------------------------------------------------------------ 第九条（二）


def check_direction(decl: Declaration, settings: RuleSettings = DEFAULT_SETTINGS) -> list[Violation]:
    """D9.2: a research direction is stated and at least one key industry field is chosen.

    Further fields outside the key-industry list are allowed once a key industry is chosen
    (第九条（二） asks for a direction serving Liuzhou's needs, not for key industries only)."""
    out: list[Violation] = []
    c = decl.center
    if _blank(c.research_direction):
        out.append(
            violation("D9.2", "center.research_direction", "未填写研发方向", "（空）", "明确的研发方向")
        )
    key = set(settings.key_industries)
    if not c.industry_fields:
        out.append(
            violation(
                "D9.2", "center.industry_fields", "未选择柳州重点产业领域", "0项", "至少选择1个重点产业领域"
            )
        )
    if any(name in key for name in c.industry_fields):
        return out
    for i, name in enumerate(c.industry_fields):
        out.append(
            violation(
                "D9.2",
                f"center.industry_fields[{i}]",
                f"“{name}”不在 {decl.call_year} 年度柳州重点产业目录中，且未选择任何重点产业领域；"
                "请至少选择1个重点产业领域",
                name,
                "、".join(settings.key_industries),
            )
        )
    return out


# ------------------------------------------------------------------ 第九条（三）


def check_staff(decl: Declaration, settings: RuleSettings = DEFAULT_SETTINGS) -> list[Violation]:
    """D9.3a–d: number of fixed R&D staff, degree and title shares, technical leader.

    A person listed twice (same name and birth date) is counted once and the repeated row is a
    D9.3a error of its own."""
    out: list[Violation] = []
    firsts = first_rows(decl.staff, same_staff)
    staff = [s for s, j in zip(decl.staff, firsts, strict=True) if j is None]
    repeats = _repeats_note(firsts)
    n = len(staff)
    if n < settings.min_staff:
        out.append(
            violation(
                "D9.3a",
                "staff",
                f"固定研究开发人员 {n} 人{repeats}，要求不少于 {settings.min_staff} 人",
                f"{n}人",
                f"≥ {settings.min_staff}人",
            )
        )
    out += _duplicates(
        "D9.3a",
        "staff",
        "研发人员",
        firsts,
        lambda i: f"{decl.staff[i].name}，{text.day(decl.staff[i].birth_date)}出生",
        "同一人只计一次，请删除重复的行",
    )
    bachelors = sum(1 for s in staff if s.degree in BACHELOR_OR_HIGHER)
    if n == 0 or Fraction(bachelors, n) < settings.min_bachelor_share:
        share = settings.min_bachelor_share
        out.append(
            violation(
                "D9.3b",
                "staff",
                f"大学本科及以上学历人员 {text.shown_ratio(bachelors, n, at_least=share)}{repeats}，"
                f"要求 {text.at_least(share)}",
                f"{bachelors}/{n}",
                text.at_least(share),
            )
        )
    titled = sum(1 for s in staff if s.title in INTERMEDIATE_OR_HIGHER)
    if n == 0 or Fraction(titled, n) < settings.min_intermediate_title_share:
        share = settings.min_intermediate_title_share
        out.append(
            violation(
                "D9.3c",
                "staff",
                f"中级及以上职称人员 {text.shown_ratio(titled, n, at_least=share)}{repeats}，"
                f"要求 {text.at_least(share)}",
                f"{titled}/{n}",
                text.at_least(share),
            )
        )
    if not any(s.tech_leader for s in staff):
        out.append(violation("D9.3d", "staff", "研发人员中未指定技术带头人", "0人", "至少1名技术带头人"))
    return out


# ------------------------------------------------------------------ 第九条（四）


def check_research_record(
    decl: Declaration, settings: RuleSettings = DEFAULT_SETTINGS, *, ref: date | None = None
) -> list[Violation]:
    """D9.4a (plan projects in 近三年) and D9.4b (achievements in 近三年).

    A project counts when it was under way at some time in 近三年: approved in the window, or
    approved before it and ended (``end_date``) on or after the window's first day.  Without an
    end date only the approved date decides.  Repeated rows count once (see the module docstring).
    """
    ref = ref or decl.application_date
    n = settings.recent_years
    start = years_before(ref, n)
    window = f"近{n}年（{text.day(start)}至{text.day(ref)}）"
    levels = {ProjectLevel.REGION, ProjectLevel.CITY}
    if settings.count_national_projects:
        levels.add(ProjectLevel.NATIONAL)

    def under_way(p: Project) -> bool:
        if p.level not in levels:
            return False
        if p.end_date is None:
            return within_recent_years(p.approved_date, ref, n)
        return p.approved_date <= ref and p.end_date >= start and p.end_date >= p.approved_date

    out: list[Violation] = []
    firsts = first_rows(decl.projects, same_project)
    projects = _count_once(decl.projects, firsts, under_way)
    if projects < settings.min_plan_projects:
        kinds = "国家级、自治区级、市级" if settings.count_national_projects else "自治区级、市级"
        out.append(
            violation(
                "D9.4a",
                "projects",
                f"{window}主持或参与{kinds}科技计划项目 {projects} "
                f"项{_repeats_note(firsts)}，要求 {settings.min_plan_projects} 项以上"
                f"（立项在前、{text.day(start)}或以后结束的项目亦计入；县级项目不计）",
                f"{projects}项",
                f"≥ {settings.min_plan_projects}项",
            )
        )
    for i, p in enumerate(decl.projects):
        if p.end_date is not None and p.end_date < p.approved_date:
            out.append(
                violation(
                    "D9.4a",
                    f"projects[{i}].end_date",
                    f"科技计划项目第{i + 1}行“{p.name}”的结束日期 {text.day(p.end_date)} "
                    f"早于立项日期 {text.day(p.approved_date)}，请核对",
                    f"结束 {text.day(p.end_date)}",
                    f"≥ 立项日期 {text.day(p.approved_date)}",
                )
            )
    out += _duplicates(
        "D9.4a",
        "projects",
        "科技计划项目",
        firsts,
        lambda i: f"{decl.projects[i].name}，{PROJECT_LEVEL_LABELS[decl.projects[i].level]}",
        "同一项目只计一次，请删除重复的行",
    )

    firsts = first_rows(decl.achievements, same_achievement)
    achievements = _count_once(
        decl.achievements,
        firsts,
        lambda a: a.kind in COUNTED_ACHIEVEMENTS and within_recent_years(a.date, ref, n),
    )
    if achievements < settings.min_achievements:
        out.append(
            violation(
                "D9.4b",
                "achievements",
                f"{window}新技术新产品、行业（地方）标准、自治区科技奖励、授权发明专利共 {achievements} 项"
                f"{_repeats_note(firsts)}，"
                f"要求 {settings.min_achievements} 项以上（实用新型、外观设计专利不计）",
                f"{achievements}项",
                f"≥ {settings.min_achievements}项",
            )
        )
    out += _duplicates(
        "D9.4b",
        "achievements",
        "成果",
        firsts,
        lambda i: decl.achievements[i].number or decl.achievements[i].title,
        "同一成果只计一次；如确为不同成果，请填写各自的编号（专利号、标准号、奖励证书号）",
    )
    return out


# ------------------------------------------------------------------ 第九条（五）


def check_facilities(decl: Declaration, settings: RuleSettings = DEFAULT_SETTINGS) -> list[Violation]:
    """D9.5a (floor area) and D9.5b (instruments listed)."""
    out: list[Violation] = []
    area = decl.center.floor_area_m2
    if Fraction(area) < settings.min_floor_area_m2:
        out.append(
            violation(
                "D9.5a",
                "center.floor_area_m2",
                f"科研集中用房面积 {text.area(area)}，要求 {settings.min_floor_area_m2}平方米以上",
                text.area(area),
                f"≥ {settings.min_floor_area_m2}m²",
            )
        )
    count = len(decl.center.equipment)
    if count < settings.min_equipment_items:
        out.append(
            violation(
                "D9.5b",
                "center.equipment",
                f"未列明科研仪器设备或试验设施（{count} 台套），请补充",
                f"{count}台（套）",
                f"≥ {settings.min_equipment_items}台（套）",
            )
        )
    return out


# ------------------------------------------------------------------ 第九条（六）


def check_funding(
    decl: Declaration, settings: RuleSettings = DEFAULT_SETTINGS, *, ref: date | None = None
) -> list[Violation]:
    """D9.6a–d: first-level legal person, 2 years of operation, investment in the 3 years before."""
    ref = ref or decl.application_date
    out: list[Violation] = []
    if not decl.host.first_level_legal_person:
        out.append(
            violation(
                "D9.6a",
                "host.first_level_legal_person",
                f"依托单位“{decl.host.name}”不是一级法人单位",
                "否",
                "一级法人单位",
            )
        )
    established = decl.center.rd_org_established
    needed = settings.min_operating_years
    since = years_after(established, needed)
    if since > ref:
        years = max(age_on(established, ref), 0)
        out.append(
            violation(
                "D9.6b",
                "center.rd_org_established",
                f"研发机构 {text.day(established)} 成立，至 {text.day(ref)} 运行满 {years} 年，"
                f"要求已正常运行{needed}年以上（{text.day(since)}起方满{needed}年）",
                f"满{years}年",
                f"≥ {needed}年",
            )
        )
    years_range = list(range(ref.year - settings.investment_years, ref.year))
    by_year = {i.year: i.amount_yuan for i in decl.investments}
    total = sum(by_year.get(y, 0) for y in years_range)
    span = f"{years_range[0]}—{years_range[-1]}年"
    if total < settings.min_investment_yuan:
        out.append(
            violation(
                "D9.6c",
                "investments",
                f"申报前{settings.investment_years}年（{span}）累计投入建设运行经费 {text.yuan(total)}，"
                f"要求不少于 {text.yuan(settings.min_investment_yuan)}",
                text.yuan(total),
                f"≥ {text.yuan(settings.min_investment_yuan)}",
            )
        )
    for y in years_range:
        if by_year.get(y, 0) <= 0:
            out.append(
                violation(
                    "D9.6d",
                    "investments",
                    f"{y}年无建设运行经费投入，申报前{settings.investment_years}年（{span}）应连续投入",
                    f"{y}年 {text.yuan(by_year.get(y, 0))}",
                    "每年 > 0",
                )
            )
    return out


# ------------------------------------------------------------------ 第九条（七）


def check_enterprise_host(
    decl: Declaration, settings: RuleSettings = DEFAULT_SETTINGS, *, ref: date | None = None
) -> list[Violation]:
    """D9.7a (CTO appointed and filed) and D9.7b (R&D intensity); enterprise hosts only."""
    if decl.host.kind is not OrgKind.ENTERPRISE:
        return []
    ref = ref or decl.application_date
    out: list[Violation] = []
    cto = decl.host.cto
    if cto is None or _blank(cto.name):
        out.append(
            violation(
                "D9.7a", "host.cto", "企业依托单位未设立首席技术官", "未设立", "已设立并备案的首席技术官"
            )
        )
    else:
        if _blank(cto.filing_no):
            out.append(
                violation(
                    "D9.7a",
                    "host.cto.filing_no",
                    f"首席技术官{cto.name}未填写市科技局备案编号",
                    "（空）",
                    "备案编号",
                )
            )
        if cto.filing_date is None:
            out.append(
                violation(
                    "D9.7a",
                    "host.cto.filing_date",
                    f"首席技术官{cto.name}未填写备案日期",
                    "（空）",
                    "备案日期",
                )
            )
        elif cto.filing_date > ref:
            out.append(
                violation(
                    "D9.7a",
                    "host.cto.filing_date",
                    f"首席技术官备案日期 {text.day(cto.filing_date)} "
                    f"晚于申报日 {text.day(ref)}，申报时应已完成备案",
                    text.day(cto.filing_date),
                    f"≤ {text.day(ref)}",
                )
            )
    out += _check_rd_intensity(decl, settings, ref)
    return out


def _check_rd_intensity(decl: Declaration, settings: RuleSettings, ref: date) -> list[Violation]:
    years = list(range(ref.year - settings.rd_intensity_years, ref.year))
    by_year = {f.year: f for f in decl.finances}
    missing = [y for y in years if y not in by_year]
    span = f"{years[0]}—{years[-1]}年"
    if missing:
        return [
            violation(
                "D9.7b",
                "finances",
                f"缺少 {'、'.join(str(y) for y in missing)} "
                f"年度的研发费用和销售收入，无法计算近三个会计年度（{span}）研发强度",
                f"缺 {len(missing)} 个年度",
                f"{span}各年度数据",
            )
        ]
    rd = sum(by_year[y].rd_expense_yuan for y in years)
    revenue = sum(by_year[y].sales_revenue_yuan for y in years)
    latest = by_year[years[-1]].sales_revenue_yuan
    required = settings.rd_intensity_required(latest)
    if revenue == 0:
        return [
            violation(
                "D9.7b",
                "finances",
                f"{span}销售收入合计为0，无法计算研发强度",
                "销售收入 0",
                text.at_least(required),
            )
        ]
    intensity = Fraction(rd, revenue)
    if intensity >= required:
        return []
    shown = text.shown_percent(intensity, at_least=required, digits=2)
    return [
        violation(
            "D9.7b",
            "finances",
            f"{span}研发费用 {text.yuan(rd)} / 销售收入 {text.yuan(revenue)} = {shown}，"
            f"按最近一年销售收入 {text.yuan(latest)} 要求 {text.at_least(required)}",
            shown,
            text.at_least(required),
        )
    ]


# ------------------------------------------------------------------ 第九条（八）


def check_academic_host(
    decl: Declaration, settings: RuleSettings = DEFAULT_SETTINGS, *, ref: date | None = None
) -> list[Violation]:
    """D9.8a–c: university or research-institute hosts."""
    if decl.host.kind not in ACADEMIC_KINDS:
        return []
    ref = ref or decl.application_date
    out: list[Violation] = []
    key = set(settings.key_industries)
    if not any(f in key for f in decl.center.industry_fields):
        out.append(
            violation(
                "D9.8a",
                "center.industry_fields",
                "高等院校、科研院所依托单位的专业方向须与柳州重点产业紧密结合，但未选择任何重点产业领域",
                "、".join(decl.center.industry_fields) or "（无）",
                "至少1个柳州重点产业",
            )
        )
    enterprises = sum(1 for o in decl.joint_applicants if o.kind is OrgKind.ENTERPRISE)
    if enterprises < settings.min_joint_enterprises:
        others = "、".join(
            f"“{o.name}”为{ORG_KIND_LABELS[o.kind]}"
            for o in decl.joint_applicants
            if o.kind is not OrgKind.ENTERPRISE
        )
        others = f"（{others}）" if others else ""
        out.append(
            violation(
                "D9.8b",
                "joint_applicants",
                f"联合申报企业 {enterprises} 家{others}，高等院校、科研院所依托单位须与 "
                f"{settings.min_joint_enterprises} 家以上企业联合申报",
                f"{enterprises}家",
                f"≥ {settings.min_joint_enterprises}家",
            )
        )
    n = settings.recent_years
    has_project = any(
        c.kind is CooperationKind.PROJECT and within_recent_years(c.date, ref, n) for c in decl.cooperation
    )
    has_agreement = any(c.kind is CooperationKind.AGREEMENT and c.date <= ref for c in decl.cooperation)
    if not (has_project or has_agreement):
        out.append(
            violation(
                "D9.8c",
                "cooperation",
                f"近{n}年无对外产学研合作项目，也未与企业签订产学研合作协议",
                "无",
                f"近{n}年合作项目或已签订的合作协议",
            )
        )
    return out


# ------------------------------------------------------------------ entry point


def check_declaration(
    decl: Declaration,
    settings: RuleSettings = DEFAULT_SETTINGS,
    *,
    as_of: date | None = None,
    previous_revocation: date | None = None,
    revocation_document: str | None = None,
) -> list[Violation]:
    """Every declaration rule (D9.*, D10.2, D25, D26), sorted in catalog order.

    ``settings`` must be the rule set of the declaration's call year; ``as_of`` overrides the
    reference date (default: the application date); ``previous_revocation`` is the date the
    host's former centre was revoked, when the bureau's records know it (with its 文号
    ``revocation_document``).
    """
    ref = as_of or decl.application_date
    out = check_organizations(decl, settings)
    out += check_direction(decl, settings)
    out += check_staff(decl, settings)
    out += check_research_record(decl, settings, ref=ref)
    out += check_facilities(decl, settings)
    out += check_funding(decl, settings, ref=ref)
    out += check_enterprise_host(decl, settings, ref=ref)
    out += check_academic_host(decl, settings, ref=ref)
    out += check_signature(decl, settings)
    out += check_reapplication(
        decl,
        settings,
        ref=ref,
        previous_revocation=previous_revocation,
        revocation_document=revocation_document,
    )
    out += check_names(decl, settings)
    return sort_violations(out)
