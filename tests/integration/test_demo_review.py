"""The demo database is in the state the review services (issue 13) would have left it in: every
centre past 已提交 was passed by 形式审查, every assignment belongs to a panel of its session, every
stored result is the exact recomputation of its scores, the earlier calls are finished — and the
current call (2026) still has every step of the 评审 page to try, which the services accept."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest

from lzcenter_desktop.domain.review import parse_exact
from lzcenter_desktop.services import demo
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.demo_review import PANEL_EXPERTS
from lzcenter_desktop.services.review import (
    assignments,
    calls,
    conflicts,
    formal,
    notice,
    package,
    panels,
    recognition,
    results,
    scoring,
)
from tests import db_backend

PAST_SUBMITTED = (
    "under_review",
    "proposed",
    "public_notice",
    "recognised",
    "not_recognised",
    "withdrawn",
    "rectifying",
    "revoked",
    "forfeited",
)
POINTS = {
    "rd_conditions": "16",
    "rd_team": "16.5",
    "rd_achievements": "15",
    "cooperation": "12",
    "management": "8",
    "development_plan": "12.5",
}  # 80


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppContext, Path]]:
    path = tmp_path_factory.mktemp("demo-review") / "demo.sqlite"
    ctx = open_app(str(path), operator="root")
    demo.build_demo(ctx, seed=2026)
    yield ctx, path
    ctx.db.dispose()


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = db_backend.connect(path)
    try:
        return list(con.execute(sql))
    finally:
        con.close()


def _call_id(ctx: AppContext, year: int) -> int:
    call = calls.call_for_year(ctx, year)
    assert call is not None
    return call.id


# --- 形式审查 -----------------------------------------------------------------------------------


def test_every_centre_past_submitted_was_passed_by_the_formal_check_in_round_1(
    built: tuple[AppContext, Path],
) -> None:
    ctx, path = built
    states = ", ".join(f"'{s}'" for s in PAST_SUBMITTED)
    reviewed = _rows(
        path,
        "select d.id, d.submitted_on, d.recommended_by, d.recommended_on, "
        "(select min(s.held_on) from review_panel_declaration pd join review_panel p on p.id = pd.panel_id "
        " join review_session s on s.id = p.session_id where pd.declaration_id = d.id) "
        f"from declaration d join center c on c.id = d.center_id where c.state in ({states})",
    )
    assert len(reviewed) == 36  # 40 centres but 2 drafts and 2 waiting for 形式审查
    for did, submitted, recommended_by, recommended_on, reviewed_on in reviewed:
        history = formal.formal_history(ctx, declaration_id=int(str(did)))
        assert [(h.round, h.decision) for h in history] == [(1, "passed")], did
        decided = history[0].decided_on.isoformat()
        assert str(submitted) < decided < str(reviewed_on), (did, submitted, decided, reviewed_on)
        assert history[0].operator.startswith("科技局 ")
        assert recommended_by and str(submitted) < str(recommended_on) < decided
    # the centre entered 评审中 on the day of the decision, by that decision
    for did, decided_on, changed_on, reason in _rows(
        path,
        "select f.declaration_id, f.decided_on, h.changed_on, h.reason from formal_check f "
        "join declaration d on d.id = f.declaration_id "
        "join center_state_change h on h.center_id = d.center_id and h.to_state = 'under_review'",
    ):
        assert (decided_on, reason) == (changed_on, "形式审查通过（第 1 轮）"), did


def test_the_formal_check_queue_of_each_call_waits_only_for_the_2026_submissions(
    built: tuple[AppContext, Path],
) -> None:
    ctx, path = built
    waiting = {
        int(str(r[0]))
        for r in _rows(
            path,
            "select d.id from declaration d join center c on c.id = d.center_id where c.state = 'submitted'",
        )
    }
    assert len(waiting) == 2
    for year in range(demo.FIRST_CALL_YEAR, demo.CURRENT_CALL_YEAR + 1):
        queue = formal.formal_queue(ctx, call_id=_call_id(ctx, year))
        pending = {r.declaration_id for r in queue if r.pending}
        assert pending == (waiting if year == demo.CURRENT_CALL_YEAR else set()), year
        for row in queue:
            if row.pending:
                assert (row.status_label, row.round, row.last, row.errors) == ("待审查", 1, None, 0)
            else:
                assert row.last is not None and row.last.decision == "passed"


# --- sessions, panels, assignments ------------------------------------------------------------------


def test_every_assignment_belongs_to_a_panel_of_its_session_and_every_session_has_a_key(
    built: tuple[AppContext, Path],
) -> None:
    ctx, path = built
    assert _rows(path, "select count(*) from review_assignment where panel_id is null") == [(0,)]
    broken = _rows(
        path,
        "select a.id from review_assignment a join review_panel p on p.id = a.panel_id "
        "where p.session_id != a.session_id "
        "or not exists (select 1 from review_panel_declaration pd where pd.panel_id = p.id "
        "  and pd.declaration_id = a.declaration_id and pd.active) "
        "or not exists (select 1 from review_panel_member m where m.panel_id = p.id "
        "  and m.expert_id = a.expert_id and m.active)",
    )
    assert broken == []
    sessions = panels.list_sessions(ctx)
    assert len(sessions) == 10
    keys = dict(_rows(path, "select id, package_key from review_session"))
    assert all(re.fullmatch(r"[0-9a-f]{64}", str(k)) for k in keys.values())
    assert len(set(keys.values())) == len(keys)  # one key per session
    for s in sessions:
        [panel] = panels.list_panels(ctx, session_id=s.id)
        assert panel.draw_seed and len(panel.members) == PANEL_EXPERTS >= panel.min_experts
        assert {m.how for m in panel.members} == {"drawn"}
        made = assignments.list_assignments(ctx, session_id=s.id)
        assert {a.declaration_id for a in made} == set(panel.declaration_ids)
        for a in made:
            assert a.panel_id == panel.id
            if not a.recused:  # drawn and assigned without a 回避 conflict on the review date
                assert (
                    conflicts.conflicts_of(
                        ctx, expert_id=a.expert_id, declaration_id=a.declaration_id, on=s.held_on
                    )
                    == []
                )
    recused = _rows(path, "select status, recusal_reason from review_assignment where recused")
    assert recused == [("recused", "专家本人申请回避：近三年曾为申报单位提供技术咨询")]


# --- results ------------------------------------------------------------------------------------


def test_every_result_is_the_exact_recomputation_of_its_scores(built: tuple[AppContext, Path]) -> None:
    ctx, path = built
    stored_rows = _rows(
        path,
        "select rank, expert_count, expert_score_text, site_score_text, total_text, total_score, outcome "
        "from review_result",
    )
    assert len(stored_rows) == 33
    for rank, count, expert, site, total, total_float, outcome in stored_rows:
        assert int(str(rank)) >= 1 and int(str(count)) >= 1
        assert expert and site and total
        exact = parse_exact(str(total))
        assert float(exact) == pytest.approx(total_float)
        assert (outcome == "proposed") is (exact >= 60)
    recused = {
        (int(str(s)), int(str(d))): int(str(n))
        for s, d, n in _rows(
            path,
            "select session_id, declaration_id, count(*) from review_assignment where recused "
            "group by session_id, declaration_id",
        )
    }
    assert sum(recused.values()) == 1
    closed = [s for s in panels.list_sessions(ctx) if s.status in ("closed", "finished")]
    assert len(closed) == 9
    for s in closed:
        stored = results.session_results(ctx, session_id=s.id)
        again = results.preview_results(ctx, session_id=s.id)  # recomputed from the scores now
        assert stored and [
            (r.declaration_id, r.rank, r.expert_count, r.expert_score_text, r.site_score_text, r.total_text)
            for r in stored
        ] == [
            (r.declaration_id, r.rank, r.expert_count, r.expert_score_text, r.site_score_text, r.total_text)
            for r in again
        ]
        assert [r.outcome for r in stored] == [r.computed_outcome for r in again]  # no exception recorded
        assert stored[0].rank == 1
        for r in stored:
            half = Fraction(1, 2)
            assert parse_exact(r.total_text) == half * parse_exact(r.expert_score_text) + half * parse_exact(
                r.site_score_text
            )
            assert r.expert_count == PANEL_EXPERTS - recused.get((s.id, r.declaration_id), 0)


# --- the calls ----------------------------------------------------------------------------------


def test_the_earlier_calls_are_finished(built: tuple[AppContext, Path]) -> None:
    ctx, path = built
    for year in range(demo.FIRST_CALL_YEAR, demo.CURRENT_CALL_YEAR):
        call_id = _call_id(ctx, year)
        assert calls.get_call(ctx, call_id).status == "closed"
        assert {s.status for s in panels.list_sessions(ctx, call_id=call_id)} == {"closed"}
        [published] = notice.list_notices(ctx, call_id=call_id)
        assert published.status == "closed" and published.ends_on < demo.DEMO_TODAY
        assert all(o.outcome in ("dismissed", "upheld") for o in published.objections)
    # every centre of an earlier notice was recognised (later rectified, revoked …) or withdrawn
    after = {
        str(r[0])
        for r in _rows(
            path,
            "select distinct c.state from public_notice_item i join public_notice p on p.id = i.notice_id "
            "join annual_call a on a.id = p.call_id join center c on c.id = i.center_id where a.year < 2026",
        )
    }
    assert after == {"recognised", "rectifying", "revoked", "forfeited", "withdrawn"}
    # every declaration of an earlier call is decided (认定) or withdrawn (异议成立)
    statuses = dict(
        _rows(
            path,
            "select d.status, count(*) from declaration d join annual_call a on a.id = d.call_id "
            "where a.year < 2026 group by d.status",
        )
    )
    assert statuses == {"decided": 26, "withdrawn": 1}
    # every centre on an earlier notice was recognised the day the notice allowed, in sequence
    by_year = _rows(
        path,
        "select a.year, r.recognized_on, p.ends_on, r.certificate_no, r.plaque_no from recognition r "
        "join annual_call a on a.id = r.call_id join public_notice p on p.call_id = a.id order by r.id",
    )
    assert len(by_year) == 26
    serials: dict[object, list[int]] = {}
    for year, recognized_on, ends_on, cert, plaque in by_year:
        assert str(ends_on) < str(recognized_on) < f"{int(str(year)) + 1}"
        serial = int(str(plaque).rsplit("-", 1)[1])
        assert cert == f"柳工程中心证〔{year}〕{serial:03d}号"
        serials.setdefault(year, []).append(serial)
    assert all(sorted(s) == list(range(1, len(s) + 1)) for s in serials.values())


def test_the_current_call_is_open_with_every_step_still_to_try(built: tuple[AppContext, Path]) -> None:
    ctx, _ = built
    call_id = _call_id(ctx, demo.CURRENT_CALL_YEAR)
    assert calls.get_call(ctx, call_id).status == "open"
    sessions = {s.status: s for s in panels.list_sessions(ctx, call_id=call_id)}
    assert sorted(s.status for s in panels.list_sessions(ctx, call_id=call_id)) == [
        "closed",
        "closed",
        "planned",
    ]
    planned = sessions["planned"]
    assert planned.held_on > demo.DEMO_TODAY
    [panel] = panels.list_panels(ctx, session_id=planned.id)
    assert len(panel.declaration_ids) == 3 and len(panel.members) == PANEL_EXPERTS
    made = assignments.list_assignments(ctx, session_id=planned.id)
    assert len(made) == 3 * PANEL_EXPERTS and {a.status for a in made} == {"assigned"}
    missing = scoring.session_completeness(ctx, session_id=planned.id).missing
    assert len(missing) == 3 * PANEL_EXPERTS + 3  # every expert score and every site score
    # the first notice is open until the demo's "today"; two 拟认定 centres wait for the next one
    [open_notice] = notice.list_notices(ctx, call_id=call_id)
    assert open_notice.status == "open" and open_notice.ends_on == demo.DEMO_TODAY
    assert len(open_notice.items) == 2 and open_notice.objections == ()
    assert len(notice.proposed_centres(ctx, call_id=call_id)) == 2


def test_the_rest_of_the_current_call_runs_through_the_services(
    built: tuple[AppContext, Path], tmp_path: Path
) -> None:
    """On a copy of the demo: what a clerk would do next on the 评审 page is accepted."""
    _, path = built
    copy = tmp_path / "copy.sqlite"
    db_backend.copy_database(path, copy)
    ctx = open_app(str(copy), operator="科技局 覃科长")
    try:
        call_id = _call_id(ctx, demo.CURRENT_CALL_YEAR)
        waiting = [r.declaration_id for r in formal.formal_queue(ctx, call_id=call_id) if r.pending]
        for did in waiting:
            formal.decide_formal(ctx, declaration_id=did, decision="passed", on=dt.date(2026, 11, 27))
        planned = next(s for s in panels.list_sessions(ctx, call_id=call_id) if s.status == "planned")
        folder = tmp_path / "packages"
        folder.mkdir()
        exported = package.export_expert_packages(ctx, session_id=planned.id, folder=folder)
        assert len(exported) == PANEL_EXPERTS == len(list(folder.glob("*.lzreview")))
        second = panels.create_panel(ctx, session_id=planned.id, name="第二组", min_experts=3)
        panels.add_panel_declarations(ctx, panel_id=second, declaration_ids=waiting)
        panels.draw_experts(ctx, panel_id=second, count=3, seed="test")
        assignments.auto_assign(ctx, panel_id=second)
        for a in assignments.list_assignments(ctx, session_id=planned.id):
            scoring.enter_expert_scores(ctx, assignment_id=a.id, points=POINTS, scored_on=planned.held_on)
        for did in {a.declaration_id for a in assignments.list_assignments(ctx, session_id=planned.id)}:
            scoring.enter_site_score(
                ctx, session_id=planned.id, declaration_id=did, team="现场考察组", score="79.5",
                inspected_on=planned.held_on,
            )  # fmt: skip
        decided = results.close_session(ctx, session_id=planned.id, decided_on=dt.date(2026, 12, 10))
        assert [(r.rank, r.total_text, r.outcome) for r in decided] == [(1, "79.75", "proposed")] * 5
        [first_notice] = notice.list_notices(ctx, call_id=call_id)
        batch = recognition.recognise_notice(
            ctx,
            notice_id=first_notice.id,
            document_no="柳科发〔2026〕45号",
            recognized_on=dt.date(2026, 11, 27),
        )
        assert [r.certificate_no for r in batch.recognised] == [
            "柳工程中心证〔2026〕001号",
            "柳工程中心证〔2026〕002号",
        ]
        second_notice = notice.publish_notice(
            ctx, call_id=call_id, title="2026年度拟认定名单公示（第二批）", published_on=dt.date(2026, 12, 14)
        )
        assert len(second_notice.items) == 7  # the 2 waiting and the 5 of the planned session
    finally:
        ctx.db.dispose()
