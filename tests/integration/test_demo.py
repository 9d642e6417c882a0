"""The demo database: counts and states, realism constraints, determinism, idempotence."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from lzcenter_desktop.domain import credit_code
from lzcenter_desktop.domain.lifecycle import CenterState
from lzcenter_desktop.services import centers, demo
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.storage.models import metadata

TIME_COLUMNS = {"created_at", "at", "recorded_at", "added_at", "txn"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppContext, demo.DemoSummary, Path]]:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    ctx = open_app(str(path), operator="演示数据")
    summary = demo.build_demo(ctx, seed=2026)
    yield ctx, summary, path
    ctx.db.dispose()


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return list(con.execute(sql))
    finally:
        con.close()


def test_about_forty_centres_in_every_lifecycle_state(
    built: tuple[AppContext, demo.DemoSummary, Path],
) -> None:
    _, summary, _ = built
    assert 35 <= summary.counts["center"] <= 45
    assert set(summary.states) == {s.value for s in CenterState}
    assert all(n >= 1 for n in summary.states.values())
    assert summary.states["recognised"] >= 20
    assert sum(summary.states.values()) == summary.counts["center"]
    assert "40 个中心" in summary.headline


def test_counts_of_the_related_records(built: tuple[AppContext, demo.DemoSummary, Path]) -> None:
    _, summary, _ = built
    c = summary.counts
    assert c["declaration"] == c["center"]
    assert c["recognition"] == 26  # 23 recognised + rectifying + revoked + forfeited
    assert c["evaluation_round"] == 1
    assert c["public_notice"] >= 1 and c["objection"] >= 2
    assert c["review_session"] >= 1 and c["review_score"] > 0 and c["review_result"] > 0
    assert c["director_appointment"] >= 26 and c["management_committee_member"] > 0
    assert c["expert_committee_term"] >= 26 and c["expert_committee_member"] >= 26 * 7
    assert c["committee_meeting"] > 0 and c["meeting_attendance"] > c["committee_meeting"]
    assert c["audit_entry"] > sum(
        n for t, n in c.items() if t not in ("audit_entry", "key_industry")
    )  # every row audited
    assert c["rule_set_version"] == 1 and c["annual_call"] == 8


def test_three_years_of_annual_reports(built: tuple[AppContext, demo.DemoSummary, Path]) -> None:
    _, _, path = built
    years = _rows(path, "select year, count(*) from annual_report group by year order by year")
    assert [y for y, _ in years] == [2023, 2024, 2025]
    assert all(int(n) >= 15 for _, n in years)  # type: ignore[call-overload]
    assert _rows(path, "select count(*) from annual_report where verification_draw_id is not null")[0][0] == 9


def test_one_finished_evaluation_round_with_consequences(
    built: tuple[AppContext, demo.DemoSummary, Path],
) -> None:
    _, _, path = built
    assert _rows(path, "select year, status from evaluation_round") == [(2025, "finished")]
    grades = dict(_rows(path, "select grade, count(*) from evaluation group by grade"))
    assert {"excellent", "qualified", "rectify", "fail", "absent"} <= set(grades)
    by_grade = dict(
        _rows(
            path,
            "select e.grade, c.state from evaluation e join center c on c.id = e.center_id "
            "where e.grade in ('rectify', 'fail', 'absent')",
        )
    )
    assert by_grade == {"rectify": "rectifying", "fail": "revoked", "absent": "forfeited"}
    assert _rows(path, "select outcome, deadline from rectification") == [("pending", "2026-12-15")]
    # totals follow the grade bands
    for total, grade in _rows(path, "select total_score, grade from evaluation where participated"):
        band = (
            "excellent"
            if total >= 90
            else "qualified"
            if total >= 75
            else "rectify"
            if total >= 60
            else "fail"
        )  # type: ignore[operator]
        assert band == grade


def test_current_call_has_declarations_in_progress(built: tuple[AppContext, demo.DemoSummary, Path]) -> None:
    _, _, path = built
    states = {
        r[0]
        for r in _rows(
            path,
            "select c.state from declaration d join annual_call a on a.id = d.call_id "
            "join center c on c.id = d.center_id where a.year = 2026",
        )
    }
    assert {"draft", "submitted", "under_review", "proposed", "public_notice", "not_recognised"} <= states
    # review totals decide the outcome: ≥ 60 proposed, < 60 not recognised
    for total, outcome in _rows(path, "select total_score, outcome from review_result"):
        assert (outcome == "proposed") is (total >= 60)  # type: ignore[operator]


def test_hosts_are_valid_liuzhou_organizations_spread_over_districts(
    built: tuple[AppContext, demo.DemoSummary, Path],
) -> None:
    ctx, _, path = built
    codes = [r[0] for r in _rows(path, "select credit_code from organization where credit_code is not null")]
    assert codes and all(credit_code.validate(str(c)).valid for c in codes)
    hosts = _rows(
        path, "select distinct o.credit_code, o.kind from center c join organization o on o.id = c.host_id"
    )
    assert {k for _, k in hosts} >= {"enterprise", "university", "institute"}
    rows = centers.list_centers(ctx)
    assert len({r.district for r in rows}) >= 8
    assert len({r.industry for r in rows}) == 10
    for r in rows:
        assert re.fullmatch(r"柳州.+工程技术研究中心（.+）", r.name), r.name
        assert r.name.endswith(f"（{r.host}）")
        assert "某" not in r.host  # hosts have realistic (fictional) names
    recognised = [r for r in rows if r.status_code == "recognised"]
    assert all(r.recognized_on and r.director for r in recognised)


def test_recognitions_have_documents_plaques_and_certificates(
    built: tuple[AppContext, demo.DemoSummary, Path],
) -> None:
    ctx, _, path = built
    for doc, plaque, cert in _rows(path, "select document_no, plaque_no, certificate_no from recognition"):
        assert re.fullmatch(r"柳科发〔20\d\d〕\d+号", str(doc))
        assert plaque and cert
    rec = next(r for r in centers.list_centers(ctx) if r.status_code == "revoked")
    history = centers.get_center(ctx, rec.id).history
    assert [h.to_state for h in history] == [
        "草稿",
        "已提交",
        "评审中",
        "拟认定",
        "公示中",
        "已认定",
        "已撤销",
    ]


def test_expert_committees_respect_size_and_attendance(
    built: tuple[AppContext, demo.DemoSummary, Path],
) -> None:
    _, _, path = built
    for (size,) in _rows(path, "select count(*) from expert_committee_member group by term_id"):
        assert size in (7, 9, 11)
    rows = _rows(
        path,
        "select m.id, (select count(*) from meeting_attendance a where a.meeting_id = m.id),"
        " (select count(*) from expert_committee_member x where x.term_id = m.term_id)"
        " from committee_meeting m where m.committee = 'expert'",
    )
    assert rows
    for _, present, members in rows:
        assert present * 3 >= members * 2  # type: ignore[operator]


def _strip_times(value: object) -> object:
    if not isinstance(value, str):
        return value
    return json.dumps({k: v for k, v in json.loads(value).items() if k not in TIME_COLUMNS}, sort_keys=True)


def _content(path: Path) -> dict[str, list[tuple[object, ...]]]:
    con = sqlite3.connect(path)
    try:
        out: dict[str, list[tuple[object, ...]]] = {}
        for name, table in sorted(metadata.tables.items()):
            cols = [c.name for c in table.columns if c.name not in TIME_COLUMNS]
            order = ", ".join(c.name for c in table.primary_key.columns)
            rows = list(con.execute(f"select {', '.join(cols)} from {name} order by {order}"))
            if name == "audit_entry":  # the row images carry the wall-clock created_at: drop it
                rows = [
                    tuple(
                        _strip_times(v) if k in ("before", "after") else v
                        for k, v in zip(cols, r, strict=True)
                    )
                    for r in rows
                ]
            out[name] = rows
        return out
    finally:
        con.close()


def test_same_seed_same_data_other_seed_other_data(
    built: tuple[AppContext, demo.DemoSummary, Path], tmp_path: Path
) -> None:
    _, _, first = built
    again = tmp_path / "again.sqlite"
    ctx = open_app(str(again), operator="演示数据")
    demo.build_demo(ctx, seed=2026)
    ctx.db.dispose()
    assert _content(again) == _content(first)
    other = tmp_path / "other.sqlite"
    ctx = open_app(str(other), operator="演示数据")
    demo.build_demo(ctx, seed=7)
    ctx.db.dispose()
    assert _content(other)["organization"] != _content(first)["organization"]


def test_building_twice_is_refused(built: tuple[AppContext, demo.DemoSummary, Path]) -> None:
    ctx, summary, _ = built
    with pytest.raises(ServiceError, match="已有中心数据"):
        demo.build_demo(ctx)
    assert demo.summarize(ctx).counts == summary.counts


def test_ensure_demo_database_builds_once(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "demo.sqlite"
    assert demo.ensure_demo_database(path) == path
    first = _rows(path, "select count(*) from audit_entry")[0][0]
    demo.ensure_demo_database(path)
    assert _rows(path, "select count(*) from audit_entry")[0][0] == first
    assert _rows(path, "select count(*) from center")[0][0] == 40
    assert {r[0] for r in _rows(path, "select distinct operator from audit_entry")} == {demo.DEMO_OPERATOR}
