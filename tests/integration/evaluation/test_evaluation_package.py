"""Offline evaluation packages (the review's ``.lzreview`` format with ``purpose = "evaluation"``):
export per expert, scored on the laptop as in 评审模式, returns imported — refused when tampered,
foreign, of the review, stale, late (override with a reason) or unassigned; re-import changes
nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from expert_helpers import (
    DEADLINE,
    EvalSetup,
    audit_rows,
    audit_total,
    eval_setup,
    points_for,
    scores,
    set_round,
)
from sqlmodel import select

from lzcenter_desktop.domain import review_package as fmt
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import experts as ev
from lzcenter_desktop.services.evaluation import package, package_import, scoring
from lzcenter_desktop.services.review import package_files
from lzcenter_desktop.services.review import package_import as review_import
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import AnnualReport, AuditEntry, EvaluationRound

BEIJING = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[AppContext, EvalSetup]]:
    ctx, setup = eval_setup(tmp_path, centres=2, experts=4)
    ev.draw_experts(ctx, round_id=setup.round_id, per_centre=3, seed=42)
    with unit_of_work(ctx, "test.report") as session:
        for year, staff in ((2024, 30), (2025, 36)):
            session.add(
                AnnualReport.model_validate(
                    {
                        "center_id": setup.center_ids[0],
                        "year": year,
                        "status": "filed",
                        "submitted_on": dt.date(year, 12, 20),
                        "rd_staff": staff,
                        "rd_investment_yuan": 12_345_000,
                        "patents_granted": 7,
                    }
                )
            )
    yield ctx, setup
    ctx.db.dispose()


def export(ctx: AppContext, setup: EvalSetup, tmp_path: Path) -> dict[int, Path]:
    """Expert id → their package."""
    folder = tmp_path / "out"
    folder.mkdir(parents=True, exist_ok=True)
    paths = package.export_packages(ctx, round_id=setup.round_id, folder=folder, now=at(dt.date(2026, 4, 1)))
    return {package_files.read_package_file(p).package.experts[0].expert_id: p for p in paths}


def fill(
    package_path: Path, out: Path, *, total: str = "80", saved: dt.datetime | None = None, **by_eval: str
) -> Path:
    """The return the laptop saves: every centre ``total`` points (``by_eval``: ``e<id>`` → total)."""
    opened = package_files.read_package_file(package_path)
    expert_id = opened.package.experts[0].expert_id
    entries = {
        a.assignment_id: (points_for(by_eval.get(f"e{a.declaration_id}", total)), "")
        for a in opened.package.assignments_of(expert_id)
    }
    package_files.save_return_file(opened, expert_id, entries, out, now=saved or at(dt.date(2026, 4, 20)))
    return out


def manifest_of(path: Path) -> dict:  # type: ignore[type-arg]
    with zipfile.ZipFile(path) as z:
        data: dict = json.loads(z.read(fmt.MANIFEST))  # type: ignore[type-arg]
        return data


def edited(path: Path, out: Path, change) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(path) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    manifest = json.loads(entries[fmt.MANIFEST])
    change(manifest)
    entries[fmt.MANIFEST] = fmt.canonical_json(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    out.write_bytes(buffer.getvalue())
    return out


def first_expert(setup: EvalSetup, paths: dict[int, Path]) -> int:
    return sorted(paths)[0]


# --- export --------------------------------------------------------------------------------------


def test_one_blind_package_per_expert_marked_evaluation(
    world: tuple[AppContext, EvalSetup], tmp_path: Path
) -> None:
    ctx, setup = world
    rows = ev.list_assignments(ctx, round_id=setup.round_id)
    paths = export(ctx, setup, tmp_path)
    assert set(paths) == {r.expert_id for r in rows}
    for expert_id, path in paths.items():
        assert path.name == f"2026年度柳州市工程技术研究中心绩效评估-专家{expert_id:02d}.lzreview"
        m = manifest_of(path)
        assert (m["purpose"], m["kind"], m["scope"]) == ("evaluation", "package", "expert")
        assert m["session"]["id"] == setup.round_id and m["deadline"] == DEADLINE.isoformat()
        assert [e["id"] for e in m["experts"]] == [expert_id]
        mine = {r.evaluation_id for r in rows if r.expert_id == expert_id}
        assert {a["declaration_id"] for a in m["assignments"]} == mine
        assert {d["id"] for d in m["declarations"]} == mine
        assert m["score_sheet"]["format"] == "lzcenter.evaluation-sheet/1"
        with zipfile.ZipFile(path) as z:
            assert "绩效评估的离线评审包" in z.read(fmt.README).decode("utf-8")
    opened = package_files.read_package_file(
        paths[next(r.expert_id for r in rows if r.evaluation_id == setup.evaluation_ids[0])]
    )
    summary = opened.package.declaration(setup.evaluation_ids[0])
    assert summary.name.startswith("柳州评估1号工程技术研究中心") and summary.host == "柳州评估1号有限公司"
    figures = dict(summary.figures)
    assert figures["最近一期工作年报"] == "2025年度" and figures["研发人员"] == "36 人"
    assert figures["研发投入"] == "1234.5 万元" and figures["授权专利"] == "7 件"
    assert opened.package.purpose == fmt.PURPOSE_EVALUATION


def test_centre_without_report_and_the_key_is_never_audited(
    world: tuple[AppContext, EvalSetup], tmp_path: Path
) -> None:
    ctx, setup = world
    paths = export(ctx, setup, tmp_path)
    rows = ev.list_assignments(ctx, round_id=setup.round_id)
    second = next(r.expert_id for r in rows if r.evaluation_id == setup.evaluation_ids[1])
    summary = package_files.read_package_file(paths[second]).package.declaration(setup.evaluation_ids[1])
    assert dict(summary.figures) == {"最近一期工作年报": "无（尚未提交工作年报）"}
    with reading(ctx) as session:
        row = session.get(EvaluationRound, setup.round_id)
        assert row is not None and row.package_key
        key = row.package_key
        trail = [a.after or "" for a in session.execute(select(AuditEntry)).scalars()]
    assert not any(key in t for t in trail)
    made = audit_rows(ctx, "evaluation.package.create_key")
    assert len(made) == 1 and json.loads(made[0].after or "{}")["package_key"].startswith("sha256:")
    export(ctx, setup, tmp_path)  # a second export keeps the key
    assert len(audit_rows(ctx, "evaluation.package.create_key")) == 1


def test_export_refused_without_experts_or_when_finished(tmp_path: Path) -> None:
    ctx, setup = eval_setup(tmp_path, centres=1, experts=3)
    try:
        with pytest.raises(ServiceError, match="还没有分配评估专家"):
            package.export_packages(ctx, round_id=setup.round_id, folder=tmp_path)
        with pytest.raises(ServiceError, match="不存在"):
            package.export_packages(ctx, round_id=setup.round_id, folder=tmp_path / "missing")
        set_round(ctx, setup.round_id, status="finished", finished_on=dt.date(2026, 6, 1))
        with pytest.raises(ServiceError, match="已结束"):
            package.export_packages(ctx, round_id=setup.round_id, folder=tmp_path)
    finally:
        ctx.db.dispose()


# --- import ----------------------------------------------------------------------------------------


def test_round_trip_then_reimport_changes_nothing(
    world: tuple[AppContext, EvalSetup], tmp_path: Path
) -> None:
    ctx, setup = world
    paths = export(ctx, setup, tmp_path)
    reports = []
    for n, (expert_id, path) in enumerate(sorted(paths.items())):
        ret = fill(path, tmp_path / f"r{expert_id}.lzreview", total=f"8{n}")
        reports.append(package_import.import_return(ctx, path=ret))
    assert all(r.applied == len(r.sets) and not r.duplicate for r in reports)
    assert "导入评分" in reports[0].text()
    assert all(s.source.startswith("package:") for s in scores(ctx))
    for eid in setup.evaluation_ids:
        assert scoring.expert_score_of(ctx, evaluation_id=eid) is not None
    before = (audit_total(ctx), [(s.id, s.score_text, s.source) for s in scores(ctx)])
    again = package_import.import_return(ctx, path=tmp_path / f"r{sorted(paths)[0]}.lzreview")
    assert again.duplicate and "未作任何更改" in again.text()
    assert (audit_total(ctx), [(s.id, s.score_text, s.source) for s in scores(ctx)]) == before


def test_review_and_evaluation_files_refuse_each_other(
    world: tuple[AppContext, EvalSetup], tmp_path: Path
) -> None:
    ctx, setup = world
    paths = export(ctx, setup, tmp_path)
    ret = fill(paths[sorted(paths)[0]], tmp_path / "r.lzreview")
    with pytest.raises(review_import.ReturnRefused, match=r"这是绩效评估的评分回执.*请在“绩效评估”中"):
        review_import.import_return(ctx, path=ret)
    as_review = edited(ret, tmp_path / "review.lzreview", lambda m: m.pop("purpose"))
    with pytest.raises(package_import.ReturnRefused, match=r"这是认定评审的评分回执.*请在“评审管理”中"):
        package_import.import_return(ctx, path=as_review)
    assert scores(ctx) == []


def test_package_without_purpose_opens_as_a_review_one(
    world: tuple[AppContext, EvalSetup], tmp_path: Path
) -> None:
    """A package written before the field existed has no ``purpose``: it is a review package."""
    ctx, setup = world
    path = export(ctx, setup, tmp_path)[sorted(export(ctx, setup, tmp_path))[0]]
    old = edited(path, tmp_path / "old.lzreview", lambda m: m.pop("purpose"))
    assert fmt.open_package(old.read_bytes()).package.purpose == fmt.PURPOSE_REVIEW
    with pytest.raises(fmt.PackageError, match="认定评审的评审包"):
        fmt.open_package(old.read_bytes(), purpose=fmt.PURPOSE_EVALUATION)
    odd = edited(path, tmp_path / "odd.lzreview", lambda m: m.update(purpose="audit"))
    with pytest.raises(fmt.PackageError, match="用途“audit”无法识别"):
        fmt.open_package(odd.read_bytes())


def test_tampered_points_refused(world: tuple[AppContext, EvalSetup], tmp_path: Path) -> None:
    ctx, setup = world
    paths = export(ctx, setup, tmp_path)
    ret = fill(paths[sorted(paths)[0]], tmp_path / "r.lzreview")
    bad = edited(ret, tmp_path / "bad.lzreview", lambda m: m["sets"][0]["points"].update(integrity="4"))
    with pytest.raises(package_import.ReturnRefused, match="签名校验不通过"):
        package_import.import_return(ctx, path=bad)
    assert scores(ctx) == []


def test_foreign_returns_refused(world: tuple[AppContext, EvalSetup], tmp_path: Path) -> None:
    ctx, setup = world
    paths = export(ctx, setup, tmp_path)
    ret = fill(paths[sorted(paths)[0]], tmp_path / "r.lzreview")
    with pytest.raises(package_import.ReturnRefused, match="不属于本次绩效评估"):
        package_import.import_return(ctx, path=ret, round_id=setup.round_id + 1)
    # a return made for another database's round of the same number: its key differs
    other_ctx, other = eval_setup(tmp_path, centres=2, experts=4, name="other.sqlite")
    try:
        ev.draw_experts(other_ctx, round_id=other.round_id, per_centre=3, seed=42)
        with pytest.raises(package_import.ReturnRefused, match="从未导出过评估包"):
            package_import.import_return(other_ctx, path=ret)
        export(other_ctx, other, tmp_path / "x")
        with pytest.raises(package_import.ReturnRefused, match="签名校验不通过"):
            package_import.import_return(other_ctx, path=ret)
    finally:
        other_ctx.db.dispose()
    missing = edited(ret, tmp_path / "m.lzreview", lambda m: m["session"].update(id=99))
    with pytest.raises(package_import.ReturnRefused, match="编号 99）在本系统中不存在"):
        package_import.import_return(ctx, path=missing)


@pytest.mark.parametrize(
    ("saved", "late"),
    [(at(DEADLINE, 23), False), (at(DEADLINE + dt.timedelta(days=1), 0), True)],
)
def test_deadline_day_on_time_day_after_late(
    world: tuple[AppContext, EvalSetup], tmp_path: Path, saved: dt.datetime, late: bool
) -> None:
    ctx, setup = world
    paths = export(ctx, setup, tmp_path)
    ret = fill(paths[sorted(paths)[0]], tmp_path / "r.lzreview", saved=saved)
    if not late:
        report = package_import.import_return(ctx, path=ret)
        assert not report.late and report.applied
        return
    with pytest.raises(package_import.ReturnRefused, match="晚于评分截止日期 2026-04-30") as exc:
        package_import.import_return(ctx, path=ret)
    assert exc.value.late_only and scores(ctx) == []
    with pytest.raises(package_import.ReturnRefused):
        package_import.check_return(ctx, path=ret)
    report = package_import.import_return(ctx, path=ret, override_late_reason="专家因病延误，经科长同意")
    assert report.late and report.applied and "逾期导入，理由：专家因病延误" in report.text()
    assert audit_rows(ctx, "evaluation.import_return（逾期导入：专家因病延误，经科长同意）")


def test_stale_return_refused_same_points_unchanged(
    world: tuple[AppContext, EvalSetup], tmp_path: Path
) -> None:
    ctx, setup = world
    paths = export(ctx, setup, tmp_path)
    expert = sorted(paths)[0]
    rows = [r for r in ev.list_assignments(ctx, round_id=setup.round_id) if r.expert_id == expert]
    for r in rows:  # scored on the desktop after the package was made
        scoring.enter_expert_scores(
            ctx, assignment_id=r.assignment_id, points=points_for("75"), scored_on=dt.date(2026, 4, 16)
        )
    stale = fill(paths[expert], tmp_path / "stale.lzreview", total="80")
    with pytest.raises(package_import.ReturnRefused, match="导出评估包之后已被修改"):
        package_import.import_return(ctx, path=stale)
    same = fill(paths[expert], tmp_path / "same.lzreview", total="75")
    before = audit_total(ctx)
    report = package_import.import_return(ctx, path=same)
    assert report.applied == 0 and {s.action for s in report.sets} == {"unchanged"}
    assert audit_total(ctx) == before and {s.score_text for s in scores(ctx)} == {"75"}


def test_unassigned_or_removed_expert_refused(world: tuple[AppContext, EvalSetup], tmp_path: Path) -> None:
    ctx, setup = world
    paths = export(ctx, setup, tmp_path)
    expert = sorted(paths)[0]
    ret = fill(paths[expert], tmp_path / "r.lzreview")
    row = next(r for r in ev.list_assignments(ctx, round_id=setup.round_id) if r.expert_id == expert)
    ev.remove_assignment(ctx, assignment_id=row.assignment_id, reason="回避")
    with pytest.raises(package_import.ReturnRefused, match=r"已撤出.*（回避）"):
        package_import.import_return(ctx, path=ret)
    # a set forged for a centre the expert was never asked to score (signed properly)
    opened = fmt.open_return(ret.read_bytes())
    others = [e for e in setup.evaluation_ids if e not in {s.declaration_id for s in opened.ret.sets}]
    if others:
        forged_sets = (
            opened.ret.sets[0].__class__(**{**_as_dict(opened.ret.sets[0]), "declaration_id": others[0]}),
        )
    else:
        forged_sets = (
            opened.ret.sets[0].__class__(**{**_as_dict(opened.ret.sets[0]), "assignment_id": 999}),
        )
    forged = fmt.ReturnFile(**{**_as_dict(opened.ret), "sets": forged_sets})
    with reading(ctx) as session:
        rnd = session.get(EvaluationRound, setup.round_id)
        assert rnd is not None and rnd.package_key
        key = fmt.return_key(rnd.package_key, setup.round_id, expert)
    path = tmp_path / "forged.lzreview"
    path.write_bytes(fmt.return_bytes(forged, key=key))
    with pytest.raises(package_import.ReturnRefused, match="没有被分配评估"):
        package_import.import_return(ctx, path=path)
    assert scores(ctx) == []


def _as_dict(obj: object) -> dict[str, object]:
    return {name: getattr(obj, name) for name in obj.__slots__}  # type: ignore[attr-defined]
