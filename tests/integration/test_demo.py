"""The demo database: counts and states, realism constraints, determinism, idempotence."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from lzcenter_desktop.domain import credit_code
from lzcenter_desktop.domain.application_rules import check_names
from lzcenter_desktop.domain.eligibility import check_declaration
from lzcenter_desktop.domain.interchange import parse_declaration
from lzcenter_desktop.domain.lifecycle import CenterState
from lzcenter_desktop.domain.report_dues import DueStatus
from lzcenter_desktop.domain.violations import Severity
from lzcenter_desktop.services import centers, committees, declarations, demo, demo_data, rulesets
from lzcenter_desktop.services.annual import reports
from lzcenter_desktop.services.annual.dues import year_dues
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.evaluation import scoring
from lzcenter_desktop.storage.models import metadata
from tests import db_backend

TIME_COLUMNS = {"created_at", "at", "recorded_at", "added_at", "txn"}
# A review session's and the evaluation round's offline-package key is a fresh random secret
# (services.review.panels, services.evaluation.rounds), never derived from the seed: not compared
# (the review's are checked for presence in tests/integration/test_demo_review.py).
SECRET_COLUMNS = {"package_key"}
# The audit trail's hash chain (when the storage has one) covers each entry's wall-clock time.
CHAIN_COLUMNS = {"prev_hash", "entry_hash"}
UNCOMPARED = TIME_COLUMNS | SECRET_COLUMNS | CHAIN_COLUMNS


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppContext, demo.DemoSummary, Path]]:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    ctx = open_app(str(path), operator="root")  # the OS account: must not show up as the demo's operator
    summary = demo.build_demo(ctx, seed=2026)
    yield ctx, summary, path
    ctx.db.dispose()


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    """The rows of ``sql`` with dates as ISO text and booleans as 0/1, as SQLite returns them (a
    server returns date and bool objects)."""
    con = db_backend.connect(path)
    try:
        return [tuple(_as_sqlite(v) for v in row) for row in con.execute(sql)]
    finally:
        con.close()


def _as_sqlite(value: object) -> object:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


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


def test_annual_reports_are_real_documents_filed_through_the_services(
    built: tuple[AppContext, demo.DemoSummary, Path],
) -> None:
    """2022–2025: every running centre's report from the year of its recognition, a real
    lzcenter.annual-report/1 document, reviewed by the host, submitted (a few late, in January)
    and filed — except the two deliberate 2025 committee problems, whose submission is refused."""
    ctx, _, path = built
    by_year = Counter(
        (int(y), str(s))  # type: ignore[call-overload]
        for y, s in _rows(path, "select year, status from annual_report")
    )
    assert sorted({y for y, _ in by_year}) == [2022, 2023, 2024, 2025, 2026]
    for year in (2022, 2023, 2024):
        assert by_year[(year, "filed")] >= 15 and by_year[(year, "draft")] == 0
    assert by_year[(2025, "draft")] == 2 and by_year[(2025, "filed")] >= 20
    refused = _rows(
        path,
        "select r.id from annual_report r where r.status = 'draft' and r.year = 2025",
    )
    for (report_id,) in refused:
        with pytest.raises(ServiceError, match=r"中心主任|管理委员会"):
            reports.submit_report(ctx, report_id=int(report_id), submitted_on=date(2025, 12, 20))  # type: ignore[call-overload]
    late = _rows(
        path, "select count(*) from annual_report where cast(submitted_on as text) > (year || '-12-31')"
    )
    assert 1 <= int(late[0][0]) <= 12  # type: ignore[call-overload]
    # every received report was reviewed by the host first and filed on or after submission
    for reviewed, submitted, filed in _rows(
        path, "select host_reviewed_on, submitted_on, filed_on from annual_report where status = 'filed'"
    ):
        assert str(reviewed) <= str(submitted) <= str(filed)
    for report_year, data_json in _rows(path, "select year, data_json from annual_report"):
        document = json.loads(str(data_json))
        assert document["format"] == "lzcenter.annual-report/1" and document["year"] == report_year
    # the audit shows the services' own actions
    actions = {
        str(a) for (a,) in _rows(path, "select distinct action from audit_entry where action like 'annual.%'")
    }
    assert {
        "annual.save_report",
        "annual.record_host_review",
        "annual.submit_report",
        "annual.file_report",
    } <= actions


def test_the_current_years_reports_are_partly_in(built: tuple[AppContext, demo.DemoSummary, Path]) -> None:
    """2026 (due 31 December; the demo's today is 26 November): a third submitted, two drafts,
    the rest not in yet — so the due list and its reminders show something."""
    ctx, _, path = built
    statuses = Counter(str(s) for (s,) in _rows(path, "select status from annual_report where year = 2026"))
    running = _rows(path, "select count(*) from center where state in ('recognised', 'rectifying')")[0][0]
    received = statuses["submitted"] + statuses["filed"]
    assert statuses["draft"] == 2 and statuses["filed"] >= 1 and statuses["submitted"] >= 1
    assert received == int(running) // 3  # type: ignore[call-overload]
    dues = year_dues(ctx, year=2026, as_of=demo.DEMO_TODAY)
    assert len(dues.with_status(DueStatus.RECEIVED)) == received
    missing = dues.with_status(DueStatus.MISSING)
    assert len(missing) == int(running) - received  # type: ignore[call-overload]
    assert dues.reminders == ()  # reminders start in December …
    december = year_dues(ctx, year=2026, as_of=date(2026, 12, 2))
    assert [r.center_id for r in december.reminders] == [r.center_id for r in missing]  # … for those not in


def test_spot_checks_drawn_with_a_recorded_seed_and_their_findings(
    built: tuple[AppContext, demo.DemoSummary, Path],
) -> None:
    _, _, path = built
    draws = _rows(path, "select year, drawn_on, method from verification_draw order by year")
    assert [(y, d) for y, d, _ in draws] == [(2023, "2024-02-20"), (2024, "2025-02-20"), (2025, "2026-02-20")]
    assert all(f"种子 {y}" in str(m) for y, _, m in draws)
    drawn = _rows(
        path,
        "select r.year, r.status, r.verification_result from annual_report r "
        "join verification_draw v on v.id = r.verification_draw_id",
    )
    assert len(drawn) == 9 and Counter(y for y, _, _ in drawn) == {2023: 3, 2024: 3, 2025: 3}
    assert all(status == "filed" and str(found).startswith("现场核查") for _, status, found in drawn)


def test_one_finished_evaluation_round_with_consequences(
    built: tuple[AppContext, demo.DemoSummary, Path],
) -> None:
    """The 2025 round of the centres due (recognised up to 2022), scored by three drawn experts each,
    graded and finished by the services, each consequence applied on the notice day with its
    article."""
    ctx, _, path = built
    assert _rows(
        path,
        'select year, status, finished_on, document_no, settings_json like \'%"qualified": "70"%\' '
        "from evaluation_round",
    ) == [(2025, "finished", "2025-12-15", "柳科发〔2025〕88号", 1)]
    assert [
        str(r[0])
        for r in _rows(path, "select c.recognized_on from evaluation e join center c on c.id = e.center_id")
    ] and all(
        str(r[0]) < "2023-01-01"
        for r in _rows(path, "select c.recognized_on from evaluation e join center c on c.id = e.center_id")
    )
    assert _rows(path, "select count(*) from evaluation")[0][0] == 17
    grades = {
        str(g): n
        for g, n in _rows(path, "select coalesce(grade, '未参加'), count(*) from evaluation group by grade")
    }
    assert grades == {"优秀": 2, "合格": 12, "整改": 1, "不合格": 1, "未参加": 1}
    outcomes = _rows(
        path,
        "select coalesce(e.grade, '未参加'), e.participated, e.outcome, e.outcome_applied_on, c.state, "
        "e.conditions_ok from evaluation e join center c on c.id = e.center_id",
    )
    expected = {
        "优秀": ("keep", "recognised"),
        "合格": ("keep", "recognised"),
        "整改": ("rectify", "rectifying"),
        "不合格": ("revoke", "revoked"),
        "未参加": ("forfeit", "forfeited"),
    }
    for grade, participated, outcome, applied, state, conditions_ok in outcomes:
        assert (outcome, state) == expected[str(grade)]
        assert applied == "2025-12-15" and bool(participated) is (grade != "未参加")
        assert conditions_ok == (1 if participated else None)  # 第九条 re-checked on the reports
    assert _rows(path, "select outcome, notice_date, deadline from rectification") == [
        ("pending", "2025-12-15", "2026-12-15")
    ]
    reasons = dict(
        _rows(
            path,
            "select to_state, reason from center_state_change "
            "where to_state in ('rectifying', 'revoked', 'forfeited') and changed_on = '2025-12-15'",
        )
    )
    assert "第二十四条（三）" in str(reasons["rectifying"])
    assert "第二十四条（四）" in str(reasons["revoked"])
    assert "第二十四条（五）" in str(reasons["forfeited"])
    # three drawn experts per participating centre, all scored; the total is their exact mean
    assert _rows(
        path,
        "select count(*), count(distinct evaluation_id), min(how), max(how) from evaluation_assignment "
        "where status = 'scored'",
    ) == [(48, 16, "drawn", "drawn")]
    bands = {"优秀": (90, 101), "合格": (70, 90), "整改": (60, 70), "不合格": (0, 60)}
    for evaluation_id, total, grade in _rows(
        path, "select id, total_text, grade from evaluation where participated"
    ):
        low, high = bands[str(grade)]
        assert low <= Decimal(str(total)) < high
        assert scoring.expert_score_of(ctx, evaluation_id=int(evaluation_id)) == Decimal(str(total))  # type: ignore[call-overload]
    assert "抽取种子 2025" in str(
        _rows(path, "select action from audit_entry where action like 'evaluation.draw_experts%' limit 1")[0][
            0
        ]
    )


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
    sizes = Counter(
        n for (n,) in _rows(path, "select count(*) from expert_committee_member group by term_id")
    )
    assert set(sizes) <= {7, 8, 9, 11}
    assert sizes[8] == 1  # the one deliberate even-sized committee (M14b)
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
    return json.dumps({k: v for k, v in json.loads(value).items() if k not in UNCOMPARED}, sort_keys=True)


def _content(path: Path) -> dict[str, list[tuple[object, ...]]]:
    con = db_backend.connect(path)
    try:
        out: dict[str, list[tuple[object, ...]]] = {}
        for name, table in sorted(metadata.tables.items()):
            cols = [c.name for c in table.columns if c.name not in UNCOMPARED]
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
    assert {r[0] for r in _rows(path, "select distinct operator from audit_entry")} == set(demo.DEMO_STAFF)


# ---------------------------------------------------------------- consistency with the rules

POST_REVIEW = {"proposed", "public_notice", "recognised", "rectifying", "revoked", "forfeited", "withdrawn"}


def _centre_of_slot(ctx: AppContext) -> dict[int, centers.CenterRow]:
    """Centres are created in PLAN order, so the n-th centre (by id) is plan entry n."""
    rows = sorted(centers.list_centers(ctx), key=lambda r: r.id)
    assert len(rows) == len(demo.PLAN)
    return dict(enumerate(rows))


def test_word_lists_translate_every_brand_and_company_phrase() -> None:
    assert set(demo_data.BRAND_EN) == set(demo_data.BRANDS)
    assert len(set(demo_data.BRAND_EN.values())) == len(demo_data.BRAND_EN)
    for en in [*demo_data.BRAND_EN.values(), *demo_data.COMPANY_EN.values()]:
        assert en.isascii() and "(" not in en and ")" not in en, en
    used = {c for fields in demo_data.INDUSTRIES.values() for f in fields for c in f[3]}
    assert used == set(demo_data.COMPANY_EN)
    assert {i for u in demo_data.UNIVERSITIES for i in u.industries} <= set(demo_data.INDUSTRIES)
    liuzhou = {code for code, _n, _d in demo_data.DISTRICTS}
    assert {u.division for u in demo_data.UNIVERSITIES} <= liuzhou
    assert set(demo_data.DISTRICT_ADDRESSES) == liuzhou
    assert "某" not in "".join(org for org, _c in demo_data.EXTERNAL_ORGS)


def test_every_host_has_an_english_name_and_centre_names_follow_article_26(
    built: tuple[AppContext, demo.DemoSummary, Path],
) -> None:
    ctx, _, path = built
    hosts = _rows(
        path,
        "select c.name_zh, c.name_en, o.name, o.name_en from center c"
        " join organization o on o.id = c.host_id",
    )
    assert len(hosts) == 40
    for name_zh, name_en, host, host_en in hosts:
        assert host_en and str(host_en).isascii(), host
        assert name_zh == f"柳州{str(name_zh)[2:].split('工程技术研究中心')[0]}工程技术研究中心（{host}）"
        assert re.fullmatch(
            rf"Liuzhou \S.* Research Center of Engineering Technology \({re.escape(str(host_en))}\)",
            str(name_en),
        ), name_en
    enterprises = _rows(path, "select name, name_en from organization where kind = 'enterprise'")
    for name, name_en in enterprises:
        brand = str(name)[2:4]
        assert str(name).startswith("柳州") and brand in demo_data.BRAND_EN, name
        company = demo_data.COMPANY_EN[str(name)[4:]]
        assert name_en == f"Liuzhou {demo_data.BRAND_EN[brand]} {company}"
    for row in declarations.list_declarations(ctx):
        decl = parse_declaration(declarations.get_declaration(ctx, row.id).data)
        assert check_names(decl) == [], decl.center.name_en


def test_only_a_re_application_after_revocation_repeats_a_centre_name(
    built: tuple[AppContext, demo.DemoSummary, Path],
) -> None:
    ctx, _, _ = built
    slots = _centre_of_slot(ctx)
    names = Counter(r.name for r in slots.values())
    repeated = {name for name, n in names.items() if n > 1}
    revoked, again = slots[demo.REVOKED_SLOT], slots[demo.REAPPLICATION_SLOT]
    assert repeated == {revoked.name}
    assert (revoked.status_code, again.status_code) == ("revoked", "draft")
    assert again.host == revoked.host


def _declaration_states(path: Path) -> dict[int, tuple[int, str]]:
    """Declaration id → (its centre's id, the centre's state)."""
    rows = _rows(path, "select d.id, c.id, c.state from declaration d join center c on c.id = d.center_id")
    return {int(d): (int(c), str(s)) for d, c, s in rows}  # type: ignore[call-overload]


def test_declarations_that_passed_the_review_meet_every_error_rule_of_article_9(
    built: tuple[AppContext, demo.DemoSummary, Path],
) -> None:
    ctx, _, path = built
    states = _declaration_states(path)
    post_review = 0
    for row in declarations.list_declarations(ctx):
        view = declarations.get_declaration(ctx, row.id)
        decl = parse_declaration(view.data)
        settings = rulesets.settings_for_year(ctx, view.call_year)  # the rule set of the call year
        errors = [v for v in check_declaration(decl, settings) if v.severity is Severity.ERROR]
        shown = declarations.check_declaration_draft(ctx, declaration_id=row.id)  # what the 申报 page shows
        assert [v.rule for v in shown.errors] == [v.rule for v in errors]
        assert row.errors == len(errors)
        state = states[row.id][1]
        if state == "draft":
            continue
        # submitted, under review, decided, withdrawn: no error, no warning left to acknowledge
        assert errors == [], (decl.center.name_zh, [v.message for v in errors])
        assert shown.warnings == [], (decl.center.name_zh, [v.message for v in shown.warnings])
        post_review += state in POST_REVIEW
    assert post_review == 31  # 拟认定 2, 公示中 2, 已认定 23, 整改中, 已撤销, 自动放弃, 已撤回


def test_the_2026_drafts_each_show_one_deliberate_violation(
    built: tuple[AppContext, demo.DemoSummary, Path],
) -> None:
    ctx, _, path = built
    states = _declaration_states(path)
    slots = _centre_of_slot(ctx)
    found: dict[int, list[str]] = {}
    for row in declarations.list_declarations(ctx):
        if states[row.id][1] == "draft":
            assert row.call_year == 2026 and row.status == "draft"
            result = declarations.check_declaration_draft(ctx, declaration_id=row.id)
            found[states[row.id][0]] = [v.rule for v in result.errors]
    short, again = slots[demo.SHORT_STAFF_SLOT].id, slots[demo.REAPPLICATION_SLOT].id
    assert found == {short: ["D9.3a"], again: ["D25"]}
    by_centre = {c: d for d, (c, _s) in states.items()}
    assert len(declarations.get_declaration(ctx, by_centre[short]).data["staff"]) == demo.SHORT_STAFF == 7
    revoked = _rows(
        path,
        f"select changed_on from center_state_change where center_id = "
        f"{slots[demo.REVOKED_SLOT].id} and to_state = 'revoked'",
    )
    data = declarations.get_declaration(ctx, by_centre[again]).data
    assert revoked == [(data["previous_revocation_date"],)]


def test_committees_of_recognised_centres_pass_m11_to_m16_except_the_listed_cases(
    built: tuple[AppContext, demo.DemoSummary, Path],
) -> None:
    ctx, _, _ = built
    slots = _centre_of_slot(ctx)
    expected = {slots[n].id: [rule] for n, rule in demo.COMMITTEE_PROBLEMS.items()}
    assert sorted(r[0] for r in expected.values()) == ["M12b", "M13c", "M14b"]
    state_of = {r.id: r.status_code for r in slots.values()}
    assert all(slots[n].status_code == "recognised" for n in demo.COMMITTEE_PROBLEMS)
    found: dict[int, list[str]] = {}
    listed = committees.list_committee_centres(ctx)
    assert len(listed) == 26
    for c in listed:
        violations = committees.check_centre_committees(ctx, center_id=c.id, as_of=date(2026, 11, 26))
        errors = [v.rule for v in violations if v.severity is Severity.ERROR]
        if errors:
            found[c.id] = errors
        if state_of[c.id] in ("recognised", "rectifying"):
            assert [v.rule for v in violations if v.severity is not Severity.ERROR] == [], c.name
    assert found == expected


def test_the_operator_is_a_fictional_bureau_clerk_never_the_os_account(
    built: tuple[AppContext, demo.DemoSummary, Path],
) -> None:
    ctx, _, path = built
    assert ctx.operator == "root"
    by_operator = dict(_rows(path, "select operator, count(*) from audit_entry group by operator"))
    assert set(by_operator) == set(demo.DEMO_STAFF)
    assert all(name.startswith("科技局 ") for name in demo.DEMO_STAFF)
    timeline: dict[object, set[object]] = {}
    for state, operator in _rows(path, "select distinct to_state, operator from center_state_change"):
        timeline.setdefault(state, set()).add(operator)
    assert timeline["draft"] == {demo_data.STAFF_INTAKE}
    assert timeline["submitted"] == {demo_data.STAFF_INTAKE}
    assert timeline["recognised"] == {demo_data.STAFF_REVIEW}
    history = centers.get_center(ctx, 1).history
    assert {h.operator for h in history} <= set(demo.DEMO_STAFF)


def test_every_centre_shows_a_liuzhou_district_and_hosts_have_addresses(
    built: tuple[AppContext, demo.DemoSummary, Path],
) -> None:
    ctx, _, path = built
    rows = centers.list_centers(ctx)
    assert all(r.district for r in rows), [r.host for r in rows if not r.district]
    for kind, code, address in _rows(
        path,
        "select o.kind, o.district_code, o.address from organization o join center c on c.host_id = o.id",
    ):
        assert str(code).startswith("4502") and address and str(address).startswith("柳州市"), (kind, code)
    academic = {r.host: r.district for r in rows if "学" in r.host or "研究" in r.host}
    assert len(academic) == 6 and all(academic.values())


def test_declarations_match_the_host_records(built: tuple[AppContext, demo.DemoSummary, Path]) -> None:
    _, _, path = built
    # the CTO on the declaration is the one filed with the bureau, with the same number and date
    rows = _rows(
        path,
        "select d.cto_name, d.cto_filing_no, d.cto_filing_date, f.name, f.filing_no, f.filing_date, "
        "d.application_date from declaration d join cto_filing f on f.organization_id = d.host_id",
    )
    assert len(rows) >= 30
    for cto, no, day, filed_name, filed_no, filed_day, applied in rows:
        assert (cto, no, day) == (filed_name, filed_no, filed_day)
        assert str(day) <= str(applied)
    # the directors' months in the annual reports are the months on the director's record
    for reported, recorded in _rows(
        path,
        "select r.director_months, m.months from annual_report r join director_appointment a "
        "on a.center_id = r.center_id join director_work_months m on m.appointment_id = a.id "
        "and m.year = r.year where a.status = 'active' "
        "and cast(a.appointed_on as text) < (r.year || '-01-01')",
    ):
        assert reported == recorded
