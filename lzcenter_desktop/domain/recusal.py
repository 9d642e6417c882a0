"""回避 of review experts (第十条（三）; issue 13): which experts must not score a declaration, and why.

An expert steps aside from a declaration when

* their unit is the applicant (依托单位), a co-building unit (共建单位) or a joint applicant (联合申报单位)
  — the same registered organization, a duplicate registration of it, or a unit the clerk confirmed
  to be part of it (the service gives each :class:`Unit` the ids of all of these);
* they, or a close relative (近亲属, :attr:`Relation.relative`), worked for or advised one of those
  units, or had a dispute with it, within 3 years of the review date — the window is 近三年 as
  everywhere in the Measures: ``[review date − 3 years, review date]``, both ends included, so a
  relation that ended exactly 3 years before the review still conflicts and one that ended a day
  earlier does not (:func:`dates.within_recent_years`);
* they (or a relative) helped prepare the declaration's documents — whatever the dates;
* they (or a relative) share a legal representative, or a control or investment link, with one of
  those units on the review date (a link that ended before the review date no longer counts);
* they declared any other conflict of interest with one of those units;
* the applicant named them on its list of experts to avoid (申请回避的专家).

Each :class:`Conflict` says whether it was *computed* from the registry (the unit, co-builders and
joint applicants, relations the bureau recorded from the registry) or *declared* (by the expert —
relations with ``declared=True`` — or by the applicant's list). A service may let an administrator
override a computed conflict with a recorded reason; a declared one is never overridden.

Pure Python: no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .committees import unit_key
from .dates import years_before

WINDOW_YEARS = 3  # 近三年


class RelationKind(StrEnum):
    """The kind of a recorded relation between an expert (or a close relative) and an organization."""

    EMPLOYMENT = "employment"  # 任职
    ADVISORY = "advisory"  # 担任顾问
    DISPUTE = "dispute"  # 存在纠纷
    PREPARED_DOCUMENTS = "prepared_documents"  # 协助编写申报材料
    LEGAL_REPRESENTATIVE = "legal_representative"  # 同一法定代表人
    CONTROL = "control"  # 控制关系
    INVESTMENT = "investment"  # 投资关系
    DECLARED = "declared"  # 本人声明的其他利益冲突

    @property
    def label(self) -> str:
        return RELATION_LABELS[self]


RELATION_LABELS: dict[RelationKind, str] = {
    RelationKind.EMPLOYMENT: "任职",
    RelationKind.ADVISORY: "担任顾问",
    RelationKind.DISPUTE: "存在纠纷",
    RelationKind.PREPARED_DOCUMENTS: "协助编写申报材料",
    RelationKind.LEGAL_REPRESENTATIVE: "同一法定代表人",
    RelationKind.CONTROL: "控制关系",
    RelationKind.INVESTMENT: "投资关系",
    RelationKind.DECLARED: "其他利益冲突（本人声明）",
}

# Relations that count when they overlap the last 3 years before the review.
WINDOWED_KINDS = frozenset({RelationKind.EMPLOYMENT, RelationKind.ADVISORY, RelationKind.DISPUTE})
# Relations that count when they exist on the review date.
CURRENT_KINDS = frozenset({RelationKind.LEGAL_REPRESENTATIVE, RelationKind.CONTROL, RelationKind.INVESTMENT})


def parse_relation_kind(code: str) -> RelationKind:
    """The kind for a code; ``ValueError`` naming the kinds in Chinese for an unknown one."""
    try:
        return RelationKind(code)
    except ValueError:
        known = "、".join(k.label for k in RelationKind)
        raise ValueError(f"关系类型“{code}”无效，应为以下之一：{known}") from None


class Cause(StrEnum):
    """Why an expert must step aside."""

    SAME_UNIT = "same_unit"
    CO_BUILDER = "co_builder"
    JOINT_APPLICANT = "joint_applicant"
    WORKED = "worked"
    DISPUTE = "dispute"
    PREPARED_DOCUMENTS = "prepared_documents"
    LEGAL_REPRESENTATIVE = "legal_representative"
    CONTROL = "control"
    INVESTMENT = "investment"
    RELATIVE = "relative"
    DECLARED = "declared"
    APPLICANT_LIST = "applicant_list"

    @property
    def label(self) -> str:
        return CAUSE_LABELS[self]


CAUSE_LABELS: dict[Cause, str] = {
    Cause.SAME_UNIT: "同一单位",
    Cause.CO_BUILDER: "来自共建单位",
    Cause.JOINT_APPLICANT: "来自联合申报单位",
    Cause.WORKED: "近三年任职或担任顾问",
    Cause.DISPUTE: "近三年存在纠纷",
    Cause.PREPARED_DOCUMENTS: "协助编写申报材料",
    Cause.LEGAL_REPRESENTATIVE: "同一法定代表人",
    Cause.CONTROL: "控制关系",
    Cause.INVESTMENT: "投资关系",
    Cause.RELATIVE: "近亲属关系",
    Cause.DECLARED: "本人声明的利益冲突",
    Cause.APPLICANT_LIST: "申报单位申请回避",
}

_KIND_CAUSE: dict[RelationKind, Cause] = {
    RelationKind.EMPLOYMENT: Cause.WORKED,
    RelationKind.ADVISORY: Cause.WORKED,
    RelationKind.DISPUTE: Cause.DISPUTE,
    RelationKind.PREPARED_DOCUMENTS: Cause.PREPARED_DOCUMENTS,
    RelationKind.LEGAL_REPRESENTATIVE: Cause.LEGAL_REPRESENTATIVE,
    RelationKind.CONTROL: Cause.CONTROL,
    RelationKind.INVESTMENT: Cause.INVESTMENT,
    RelationKind.DECLARED: Cause.DECLARED,
}


@dataclass(frozen=True, slots=True)
class Unit:
    """An organization as compared for 回避: its name, its registry id (None when known by name
    only) and the ids of the registry entries that are the same unit (a duplicate registration, a
    unit confirmed to be part of it or it part of them)."""

    name: str
    id: int | None = None
    same_ids: frozenset[int] = frozenset()

    @property
    def ids(self) -> frozenset[int]:
        return self.same_ids | ({self.id} if self.id is not None else frozenset())


def same_unit(a: Unit, b: Unit) -> bool:
    """Whether ``a`` and ``b`` are the same unit: a shared registry id, or the same normalised name."""
    if a.ids & b.ids:
        return True
    key = unit_key(a.name)
    return bool(key) and key == unit_key(b.name)


@dataclass(frozen=True, slots=True)
class Relation:
    """A relation of the expert (or, with ``relative``, of a close relative) with an organization.
    ``declared``: the expert declared it (本人申报); otherwise the bureau recorded it from the registry."""

    kind: RelationKind
    unit: Unit
    relative: bool = False
    from_on: date | None = None
    to_on: date | None = None
    declared: bool = True


@dataclass(frozen=True, slots=True)
class AvoidEntry:
    """One line of the applicant's list of experts to avoid: the expert when identified in the pool,
    else the name (and unit) as the applicant wrote them."""

    name: str
    expert_id: int | None = None
    unit: str | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ExpertFacts:
    expert_id: int
    name: str
    unit: Unit | None
    relations: tuple[Relation, ...] = ()


@dataclass(frozen=True, slots=True)
class DeclarationFacts:
    host: Unit
    co_builders: tuple[Unit, ...] = ()
    joint_applicants: tuple[Unit, ...] = ()
    avoid_list: tuple[AvoidEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class Conflict:
    """One reason an expert must step aside; ``declared`` conflicts can never be overridden."""

    cause: Cause
    reason: str  # Chinese, names the expert, the unit and its role
    declared: bool = field(default=False)

    @property
    def computed(self) -> bool:
        return not self.declared

    @property
    def origin(self) -> str:
        return "本人或申报单位声明" if self.declared else "根据登记信息判断"


def _roles(decl: DeclarationFacts) -> list[tuple[str, Unit, Cause]]:
    return [
        ("依托单位", decl.host, Cause.SAME_UNIT),
        *(("共建单位", u, Cause.CO_BUILDER) for u in decl.co_builders),
        *(("联合申报单位", u, Cause.JOINT_APPLICANT) for u in decl.joint_applicants),
    ]


def _period(r: Relation) -> str:
    if r.from_on is None and r.to_on is None:
        return ""
    start = r.from_on.isoformat() if r.from_on else "…"
    end = r.to_on.isoformat() if r.to_on else "至今"
    return f"（{start}至{end}）"


def relation_counts(r: Relation, review_date: date, years: int = WINDOW_YEARS) -> bool:
    """Whether relation ``r`` conflicts on ``review_date`` (see the module docstring for each kind)."""
    if r.from_on is not None and r.from_on > review_date:
        return False  # begins after the review
    if r.kind in WINDOWED_KINDS:
        return r.to_on is None or r.to_on >= window_start(review_date, years)
    if r.kind in CURRENT_KINDS:
        return r.to_on is None or r.to_on >= review_date
    return True  # prepared documents, declared conflicts: whatever the dates


def _relation_reason(expert: ExpertFacts, r: Relation, role: str, unit: Unit, years: int) -> str:
    who = f"专家{expert.name}的近亲属" if r.relative else f"专家{expert.name}"
    target = f"{role}“{unit.name}”"
    period = _period(r)
    kind = r.kind
    if kind in (RelationKind.EMPLOYMENT, RelationKind.ADVISORY):
        return f"{who}近{years}年内在{target}{kind.label}{period}，应回避"
    if kind is RelationKind.DISPUTE:
        return f"{who}近{years}年内与{target}存在纠纷{period}，应回避"
    if kind is RelationKind.PREPARED_DOCUMENTS:
        return f"{who}协助{target}编写申报材料，应回避"
    if kind is RelationKind.DECLARED:
        return f"{who}声明与{target}存在利益冲突，应回避"
    return f"{who}与{target}存在{kind.label}{period}，应回避"


def _unit_conflicts(expert: ExpertFacts, decl: DeclarationFacts) -> Iterable[Conflict]:
    if expert.unit is None:
        return
    for role, unit, cause in _roles(decl):
        if not same_unit(expert.unit, unit):
            continue
        itself = expert.unit.id is not None and expert.unit.id == unit.id
        if itself or unit_key(expert.unit.name) == unit_key(unit.name):
            how = f"即{role}“{unit.name}”"
        else:
            how = f"与{role}“{unit.name}”为同一单位（单位库中为重复登记或所属单位）"
        yield Conflict(cause, f"专家{expert.name}所在单位“{expert.unit.name}”{how}，应回避")


def _relation_conflicts(
    expert: ExpertFacts, decl: DeclarationFacts, review_date: date, years: int
) -> Iterable[Conflict]:
    for r in expert.relations:
        if not relation_counts(r, review_date, years):
            continue
        for role, unit, _ in _roles(decl):
            if not same_unit(r.unit, unit):
                continue
            cause = Cause.RELATIVE if r.relative else _KIND_CAUSE[r.kind]
            declared = r.declared or r.kind is RelationKind.DECLARED
            yield Conflict(cause, _relation_reason(expert, r, role, unit, years), declared=declared)
            break  # one conflict per relation, naming the first unit it concerns


def _listed(expert: ExpertFacts, entry: AvoidEntry) -> bool:
    if entry.expert_id is not None:
        return entry.expert_id == expert.expert_id
    if unit_key(entry.name) != unit_key(expert.name) or not unit_key(entry.name):
        return False
    if not entry.unit or not unit_key(entry.unit):
        return True
    return expert.unit is not None and unit_key(entry.unit) == unit_key(expert.unit.name)


def find_conflicts(
    expert: ExpertFacts, decl: DeclarationFacts, review_date: date, *, years: int = WINDOW_YEARS
) -> list[Conflict]:
    """Every reason ``expert`` must step aside from ``decl`` at a review held on ``review_date``:
    unit conflicts first, then relations in the order given, then the applicant's list."""
    out = list(_unit_conflicts(expert, decl))
    out += _relation_conflicts(expert, decl, review_date, years)
    for entry in decl.avoid_list:
        if _listed(expert, entry):
            why = f"：{entry.reason.strip()}" if entry.reason.strip() else ""
            out.append(
                Conflict(Cause.APPLICANT_LIST, f"申报单位申请专家{expert.name}回避{why}", declared=True)
            )
            break
    return out


def window_start(review_date: date, years: int = WINDOW_YEARS) -> date:
    """The first day of the 3-year window of a review held on ``review_date``."""
    return years_before(review_date, years)


def describe(conflicts: Sequence[Conflict]) -> str:
    """The reasons joined for a message or a record (``；`` between them)."""
    return "；".join(c.reason for c in conflicts)
