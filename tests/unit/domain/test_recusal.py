"""回避 (domain/recusal.py): each cause, the 3-year window at its bound, computed vs declared."""

from __future__ import annotations

from datetime import date

import pytest

from lzcenter_desktop.domain.recusal import (
    AvoidEntry,
    Cause,
    DeclarationFacts,
    ExpertFacts,
    Relation,
    RelationKind,
    Unit,
    describe,
    find_conflicts,
    parse_relation_kind,
    relation_counts,
    same_unit,
    window_start,
)

REVIEW = date(2026, 7, 15)
HOST = Unit(name="柳州甲重工股份有限公司", id=10, same_ids=frozenset({10}))
CO = Unit(name="柳州乙机械有限公司", id=20, same_ids=frozenset({20}))
JOINT = Unit(name="广西丙大学", id=30, same_ids=frozenset({30}))
OTHER = Unit(name="广西丁研究院", id=40, same_ids=frozenset({40}))
DECL = DeclarationFacts(host=HOST, co_builders=(CO,), joint_applicants=(JOINT,))


def expert(
    unit: Unit | None = OTHER, *relations: Relation, name: str = "王五", expert_id: int = 7
) -> ExpertFacts:
    return ExpertFacts(expert_id=expert_id, name=name, unit=unit, relations=tuple(relations))


def causes(found: list) -> list[Cause]:  # type: ignore[type-arg]
    return [c.cause for c in found]


# --- units ------------------------------------------------------------------------------------------


def test_an_expert_of_another_unit_without_relations_has_no_conflict() -> None:
    assert find_conflicts(expert(), DECL, REVIEW) == []
    assert find_conflicts(expert(None), DECL, REVIEW) == []


def test_same_unit_as_the_host_is_a_computed_conflict_naming_expert_and_unit() -> None:
    [c] = find_conflicts(expert(HOST), DECL, REVIEW)
    assert c.cause is Cause.SAME_UNIT
    assert c.computed and not c.declared
    assert "王五" in c.reason and "依托单位“柳州甲重工股份有限公司”" in c.reason
    assert c.cause.label == "同一单位"


def test_a_duplicate_registration_of_the_host_is_the_same_unit() -> None:
    # the expert's unit is registry entry 11; the service found 10 and 11 to be the same unit
    duplicate = Unit(name="柳州甲重工股份公司（旧登记）", id=11, same_ids=frozenset({10, 11}))
    [c] = find_conflicts(expert(duplicate), DECL, REVIEW)
    assert c.cause is Cause.SAME_UNIT
    assert "为同一单位" in c.reason and "重复登记或所属单位" in c.reason


def test_same_normalised_name_without_registry_ids_is_the_same_unit() -> None:
    by_name = Unit(name=" 柳州甲重工股份有限公司 ")
    assert same_unit(by_name, HOST)
    assert causes(find_conflicts(expert(by_name), DECL, REVIEW)) == [Cause.SAME_UNIT]
    assert not same_unit(Unit(name=""), Unit(name=""))


def test_co_builder_and_joint_applicant() -> None:
    assert causes(find_conflicts(expert(CO), DECL, REVIEW)) == [Cause.CO_BUILDER]
    assert causes(find_conflicts(expert(JOINT), DECL, REVIEW)) == [Cause.JOINT_APPLICANT]
    [c] = find_conflicts(expert(JOINT), DECL, REVIEW)
    assert "联合申报单位“广西丙大学”" in c.reason and not c.declared


# --- relations and their windows ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ended", "conflicted"),
    [
        (date(2023, 7, 14), False),  # one day before the window: more than 3 years ago
        (date(2023, 7, 15), True),  # exactly 3 years before the review: inside 近三年
        (date(2023, 7, 16), True),
        (None, True),  # still ongoing
    ],
)
@pytest.mark.parametrize("kind", [RelationKind.EMPLOYMENT, RelationKind.ADVISORY, RelationKind.DISPUTE])
def test_worked_advised_or_disputed_within_three_years(
    kind: RelationKind, ended: date | None, conflicted: bool
) -> None:
    assert window_start(REVIEW) == date(2023, 7, 15)
    r = Relation(kind=kind, unit=HOST, from_on=date(2015, 1, 1), to_on=ended, declared=False)
    found = find_conflicts(expert(OTHER, r), DECL, REVIEW)
    assert bool(found) is conflicted
    if conflicted:
        expected = Cause.DISPUTE if kind is RelationKind.DISPUTE else Cause.WORKED
        assert causes(found) == [expected]
        assert "近3年内" in found[0].reason and "依托单位" in found[0].reason


def test_a_relation_beginning_after_the_review_does_not_count() -> None:
    later = Relation(kind=RelationKind.EMPLOYMENT, unit=HOST, from_on=date(2026, 7, 16))
    on_the_day = Relation(kind=RelationKind.EMPLOYMENT, unit=HOST, from_on=REVIEW)
    assert not relation_counts(later, REVIEW)
    assert relation_counts(on_the_day, REVIEW)


def test_a_relation_with_a_co_builder_or_joint_applicant_counts_too() -> None:
    r = Relation(kind=RelationKind.ADVISORY, unit=CO, from_on=date(2025, 1, 1))
    [c] = find_conflicts(expert(OTHER, r), DECL, REVIEW)
    assert c.cause is Cause.WORKED and "共建单位“柳州乙机械有限公司”" in c.reason
    unrelated = Relation(
        kind=RelationKind.ADVISORY, unit=Unit(name="别的公司", id=99), from_on=date(2025, 1, 1)
    )
    assert find_conflicts(expert(OTHER, unrelated), DECL, REVIEW) == []


def test_prepared_documents_conflicts_whatever_the_dates() -> None:
    r = Relation(
        kind=RelationKind.PREPARED_DOCUMENTS, unit=HOST, from_on=date(2010, 1, 1), to_on=date(2010, 2, 1)
    )
    [c] = find_conflicts(expert(OTHER, r), DECL, REVIEW)
    assert c.cause is Cause.PREPARED_DOCUMENTS and "编写申报材料" in c.reason


@pytest.mark.parametrize(
    ("kind", "cause"),
    [
        (RelationKind.LEGAL_REPRESENTATIVE, Cause.LEGAL_REPRESENTATIVE),
        (RelationKind.CONTROL, Cause.CONTROL),
        (RelationKind.INVESTMENT, Cause.INVESTMENT),
    ],
)
@pytest.mark.parametrize(
    ("ended", "conflicted"),
    [(date(2026, 7, 14), False), (REVIEW, True), (date(2026, 7, 16), True), (None, True)],
)
def test_legal_representative_control_investment_on_the_review_date(
    kind: RelationKind, cause: Cause, ended: date | None, conflicted: bool
) -> None:
    r = Relation(kind=kind, unit=HOST, from_on=date(2020, 1, 1), to_on=ended, declared=False)
    found = find_conflicts(expert(OTHER, r), DECL, REVIEW)
    assert causes(found) == ([cause] if conflicted else [])


def test_a_relatives_relation_is_the_relative_cause_with_the_same_window() -> None:
    inside = Relation(kind=RelationKind.EMPLOYMENT, unit=HOST, relative=True, to_on=date(2023, 7, 15))
    outside = Relation(kind=RelationKind.EMPLOYMENT, unit=HOST, relative=True, to_on=date(2023, 7, 14))
    [c] = find_conflicts(expert(OTHER, inside), DECL, REVIEW)
    assert c.cause is Cause.RELATIVE and "近亲属" in c.reason and "任职" in c.reason
    assert find_conflicts(expert(OTHER, outside), DECL, REVIEW) == []


def test_declared_relations_and_the_experts_own_declaration_are_declared() -> None:
    own = Relation(kind=RelationKind.DECLARED, unit=HOST, declared=False)
    by_expert = Relation(kind=RelationKind.EMPLOYMENT, unit=HOST, from_on=date(2025, 1, 1), declared=True)
    by_registry = Relation(kind=RelationKind.EMPLOYMENT, unit=HOST, from_on=date(2025, 1, 1), declared=False)
    [c1] = find_conflicts(expert(OTHER, own), DECL, REVIEW)
    assert c1.cause is Cause.DECLARED and c1.declared and "声明" in c1.reason
    [c2] = find_conflicts(expert(OTHER, by_expert), DECL, REVIEW)
    assert c2.declared
    [c3] = find_conflicts(expert(OTHER, by_registry), DECL, REVIEW)
    assert c3.computed


# --- the applicant's list ------------------------------------------------------------------------


def test_the_applicants_list_by_expert_id_or_by_name_and_unit() -> None:
    listed = DeclarationFacts(
        host=HOST, avoid_list=(AvoidEntry(name="王五", expert_id=7, reason="曾有竞争关系"),)
    )
    [c] = find_conflicts(expert(), listed, REVIEW)
    assert c.cause is Cause.APPLICANT_LIST and c.declared and "曾有竞争关系" in c.reason
    assert find_conflicts(expert(expert_id=8), listed, REVIEW) == []
    by_name = DeclarationFacts(host=HOST, avoid_list=(AvoidEntry(name="王五", unit="广西丁研究院"),))
    assert causes(find_conflicts(expert(expert_id=8), by_name, REVIEW)) == [Cause.APPLICANT_LIST]
    other_unit = DeclarationFacts(host=HOST, avoid_list=(AvoidEntry(name="王五", unit="别的单位"),))
    assert find_conflicts(expert(expert_id=8), other_unit, REVIEW) == []
    name_only = DeclarationFacts(host=HOST, avoid_list=(AvoidEntry(name="王五"),))
    assert causes(find_conflicts(expert(expert_id=8), name_only, REVIEW)) == [Cause.APPLICANT_LIST]


def test_every_cause_is_reported_once_in_order() -> None:
    relations = (
        Relation(kind=RelationKind.DISPUTE, unit=CO, from_on=date(2024, 1, 1), declared=False),
        Relation(kind=RelationKind.INVESTMENT, unit=JOINT, declared=True),
    )
    decl = DeclarationFacts(
        host=HOST,
        co_builders=(CO,),
        joint_applicants=(JOINT,),
        avoid_list=(AvoidEntry(name="王五", expert_id=7),),
    )
    found = find_conflicts(expert(HOST, *relations), decl, REVIEW)
    assert causes(found) == [Cause.SAME_UNIT, Cause.DISPUTE, Cause.INVESTMENT, Cause.APPLICANT_LIST]
    assert [c.declared for c in found] == [False, False, True, True]
    assert describe(found).count("；") == 3


def test_relation_kind_codes_and_labels() -> None:
    assert parse_relation_kind("employment") is RelationKind.EMPLOYMENT
    assert RelationKind.DISPUTE.label == "存在纠纷"
    with pytest.raises(ValueError, match="关系类型“boss”无效") as info:
        parse_relation_kind("boss")
    assert "任职" in str(info.value) and "employment" not in str(info.value)
