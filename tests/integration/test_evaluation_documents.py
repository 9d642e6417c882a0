"""The documents of 第五章 from the records (services/documents_evaluation*.py, issue 14 item 7): each
PDF reopened says what is stored — names, grades, dates, numbers — the workbooks reopen with the same
rows, each document is audited, and a document the record does not support is refused in Chinese
before anything is written.

The records are inserted through the storage models (the evaluation services are written in parallel):
seven centres around a 2022 and a 2025 round —

* A 优秀 92.5 (2025), report filed on 31 December (on time), drawn for the spot check with findings;
* B 整改 65 (2025), rectification 2025-12-15 → 2026-12-15 pending, report submitted 1 January (late);
* C 不合格 55 (2025), revoked on 2025-12-15 (第二十四条（四）);
* D did not take part in 2025 (自动放弃);
* E 整改 (2022), acceptance check failed on 29 February 2024, revoked that day;
* F 合格 80 (2025), only a draft report;
* G 整改 (2022) accepted on 1 March 2024, 合格 80 (2025) — no report at all;
* H 整改 in 2022 and again 2025 (outcome revoke, second consecutive 整改), revoked.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from lzcenter_desktop.cli import main as cli_main
from lzcenter_desktop.services import documents_evaluation as docs
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import (
    AnnualReport,
    AuditEntry,
    Center,
    CenterStateChange,
    Evaluation,
    EvaluationRound,
    Organization,
    Rectification,
    VerificationDraw,
)
from tests import db_backend

D = dt.date
NOTICE = D(2025, 12, 15)
REVOKE_NO = "柳科发〔2025〕91号"
RECTIFY_NO = "柳科发〔2025〕90号"
FINDINGS = "现场核查：年报数据属实"
DEPARTMENT = "柳州市工业和信息化局"
PROBLEM = "固定研发人员不足10人"


@dataclass(frozen=True)
class World:
    centers: dict[str, int]
    hosts: dict[str, str]
    names: dict[str, str]
    evaluations: dict[str, int]  # 2025 evaluations by centre letter
    round_2022: int
    round_2025: int
    rectifications: dict[str, int]


def _add(session, row):  # type: ignore[no-untyped-def]
    session.add(row)
    session.flush()
    return row


def _build(ctx: AppContext) -> World:
    centers: dict[str, int] = {}
    hosts: dict[str, str] = {}
    names: dict[str, str] = {}
    evaluations: dict[str, int] = {}
    rects: dict[str, int] = {}
    with unit_of_work(ctx, "test.setup") as s:

        def centre(
            letter: str, field: str, state: str, since: D, history: list[tuple[D, str, str, str]]
        ) -> int:
            host = f"柳州{field}{letter}有限公司"
            org = _add(
                s,
                Organization(
                    name=host, kind="enterprise", competent_department=DEPARTMENT, district_code="450202"
                ),
            )
            name = f"柳州市{field}工程技术研究中心（{host}）"
            c = _add(
                s,
                Center(
                    name_zh=name, host_id=org.id, state=state, state_since=since,
                    recognized_on=D(2019, 11, 30),
                    certificate_no=f"LZETRC-2019-00{len(centers) + 1}",
                ),
            )  # fmt: skip
            prev = None
            for on, to, reason, doc_no in [
                (D(2019, 11, 30), "recognised", "认定", "柳科发〔2019〕12号"),
                *history,
            ]:
                _add(
                    s,
                    CenterStateChange(
                        center_id=c.id, changed_on=on, from_state=prev, to_state=to, operator="测试",
                        reason=reason, document_no=doc_no,
                    ),
                )  # fmt: skip
                prev = to
            centers[letter], hosts[letter], names[letter] = c.id, host, name
            return int(c.id)

        r22 = _add(
            s,
            EvaluationRound(
                year=2022, title="2022年度柳州市工程技术研究中心绩效评估", started_on=D(2022, 9, 1),
                finished_on=D(2023, 2, 28), status="finished",
            ),
        )  # fmt: skip
        r25 = _add(
            s,
            EvaluationRound(
                year=2025, title="2025年度柳州市工程技术研究中心绩效评估", document_no="柳科发〔2025〕88号",
                started_on=D(2025, 9, 1), finished_on=NOTICE, status="finished",
            ),
        )  # fmt: skip

        def evaluation(letter: str, rnd: EvaluationRound, grade: str | None, total: str | None, **kw) -> int:  # type: ignore[no-untyped-def]
            ev = _add(
                s,
                Evaluation(
                    round_id=rnd.id, center_id=centers[letter], grade=grade, total_text=total,
                    total_score=float(total) if total else None, **kw,
                ),
            )  # fmt: skip
            return int(ev.id)

        centre("A", "智能装备", "recognised", D(2019, 11, 30), [])
        centre(
            "B",
            "汽车零部件",
            "rectifying",
            NOTICE,
            [(NOTICE, "rectifying", "2025年度绩效评估结果为整改，第二十四条（三）", RECTIFY_NO)],
        )
        centre(
            "C",
            "新材料",
            "revoked",
            NOTICE,
            [(NOTICE, "revoked", "2025年度绩效评估结果为不合格，取消称号（第二十四条（四））", REVOKE_NO)],
        )
        centre(
            "D", "生物医药", "forfeited", NOTICE, [(NOTICE, "forfeited", "不参加评估，第二十四条（五）", "")]
        )
        centre("E", "轨道交通", "revoked", D(2024, 2, 29), [
            (D(2023, 2, 28), "rectifying", "整改", ""), (D(2024, 2, 29), "revoked", "", ""),
        ])  # fmt: skip
        centre("F", "电子信息", "recognised", D(2019, 11, 30), [])
        centre("G", "节能环保", "recognised", D(2024, 3, 1), [
            (D(2023, 2, 28), "rectifying", "整改", ""), (D(2024, 3, 1), "recognised", "整改验收通过", ""),
        ])  # fmt: skip
        centre("H", "现代农业", "revoked", NOTICE, [
            (D(2023, 2, 28), "rectifying", "整改", ""), (D(2024, 3, 1), "recognised", "整改验收通过", ""),
            (NOTICE, "revoked", "连续二次评估结果为整改", ""),
        ])  # fmt: skip

        evaluations["A"] = evaluation("A", r25, "优秀", "92.5", conditions_ok=True, outcome="keep")
        evaluations["B"] = evaluation(
            "B", r25, "整改", "65", conditions_ok=False, outcome="rectify", outcome_applied_on=NOTICE,
            violations_json=json.dumps([{"rule": "E23a", "message": PROBLEM}], ensure_ascii=False),
        )  # fmt: skip
        evaluations["C"] = evaluation("C", r25, "不合格", "55", outcome="revoke", outcome_applied_on=NOTICE)
        evaluations["D"] = evaluation("D", r25, None, None, participated=False, outcome="forfeit")
        evaluations["F"] = evaluation("F", r25, "合格", "80")
        evaluations["G"] = evaluation("G", r25, "合格", "80.5")
        evaluations["H"] = evaluation("H", r25, "整改", "62", outcome="revoke", outcome_applied_on=NOTICE)
        e22 = evaluation("E", r22, "整改", "61")
        g22 = evaluation("G", r22, "整改", "63")
        evaluation("H", r22, "整改", "64")
        rects["B"] = _add(
            s, Rectification(evaluation_id=evaluations["B"], center_id=centers["B"], notice_date=NOTICE,
                             deadline=D(2026, 12, 15)),
        ).id  # fmt: skip
        rects["E"] = _add(
            s, Rectification(evaluation_id=e22, center_id=centers["E"], notice_date=D(2023, 2, 28),
                             deadline=D(2024, 2, 28), applied_on=D(2024, 2, 28), checked_on=D(2024, 2, 29),
                             outcome="not_accepted", note="研发投入未见增长"),
        ).id  # fmt: skip
        rects["G"] = _add(
            s, Rectification(evaluation_id=g22, center_id=centers["G"], notice_date=D(2023, 2, 28),
                             deadline=D(2024, 2, 28), applied_on=D(2024, 2, 28), checked_on=D(2024, 3, 1),
                             outcome="accepted", note="整改措施落实到位"),
        ).id  # fmt: skip

        draw = _add(
            s, VerificationDraw(year=2025, drawn_on=D(2026, 2, 20), method="随机抽取2家（随机种子 2025）")
        )
        _add(s, AnnualReport(
            center_id=centers["A"], year=2025, status="filed", submitted_on=D(2025, 12, 31),
            host_assessment="excellent", rd_staff=31, rd_investment_yuan=3_580_000, projects=4,
            patents_granted=7, standards=1, verification_draw_id=draw.id, verification_result=FINDINGS,
        ))  # fmt: skip
        _add(s, AnnualReport(
            center_id=centers["B"], year=2025, status="submitted", submitted_on=D(2026, 1, 1),
            host_assessment="合格", rd_staff=12, rd_investment_yuan=1_234_567, projects=2, patents_granted=0,
            standards=0, verification_draw_id=draw.id,
        ))  # fmt: skip
        _add(s, AnnualReport(center_id=centers["F"], year=2025, status="draft", rd_staff=20))
    return World(centers, hosts, names, evaluations, int(r22.id), int(r25.id), rects)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    folder = tmp_path_factory.mktemp("evaluation-documents")
    ctx = open_app(str(folder / "world.sqlite"), operator="覃科长")
    try:
        world = _build(ctx)
    finally:
        ctx.db.dispose()
    return folder / "world.sqlite", world


@pytest.fixture
def world(template: tuple[Path, World], tmp_path: Path) -> Iterator[tuple[AppContext, World]]:
    source, built = template
    target = tmp_path / "db.sqlite"
    db_backend.copy_database(source, target)
    ctx = open_app(str(target), operator="覃科长")
    yield ctx, built
    ctx.db.dispose()


def text_of(pdf: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-raw", str(pdf), "-"], check=True, capture_output=True
    )
    return "".join(out.stdout.decode("utf-8").split())


def audited(ctx: AppContext, kind: str) -> list[dict]:
    with reading(ctx) as s:
        rows = s.execute(select(AuditEntry).where(col(AuditEntry.entity) == "document")).scalars()
        found = [json.loads(r.after or "{}") for r in rows]
    return [d for d in found if d.get("kind") == kind]


def documents_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".sqlite" not in p.name)


# --------------------------------------------------------------------------- 年报汇总表


def test_annual_summary_says_what_the_records_say(world: tuple[AppContext, World], tmp_path: Path) -> None:
    ctx, w = world
    made = docs.make_annual_summary(ctx, year=2025, as_of=D(2026, 3, 1), path=tmp_path / "汇总.pdf")
    text = text_of(made.path)
    assert "2025年度柳州市工程技术研究中心工作年报汇总表" in text
    # obliged: the centres holding the title on 31 December 2025 (A, B, F, G) — not C, D, E, H
    assert made.count == 4
    for letter in "ABFG":
        assert w.hosts[letter] in text
    for letter in "CDEH":
        assert w.hosts[letter] not in text
    assert "已按期报送（已备案）2025年12月31日优秀31358471" in text  # filed on the deadline day
    assert "逾期报送（已提交）2026年1月1日合格12123.4567" in text  # one day late, exact 万元
    assert "逾期未报（草稿未提交）" in text
    assert FINDINGS in text and "已抽取，待核查" in text and "未抽取" in text
    assert "应报送4家，已按期报送1家，逾期报送1家，未报送0家，逾期未报2家" in text
    assert "随机抽取2家（随机种子2025），抽取2家" in text
    entry = audited(ctx, "annual_summary")[-1]
    assert entry["statuses"][str(w.centers["B"])] == "late"


@pytest.mark.parametrize(
    ("as_of", "a_status", "missing"),
    [
        (D(2025, 12, 30), "未报送", "未报送"),  # the day before A's report: not yet received
        (D(2025, 12, 31), "已按期报送", "未报送"),  # deadline day: G's report is not overdue yet
        (D(2026, 1, 1), "已按期报送", "逾期未报"),  # the day after: overdue
    ],
)
def test_annual_summary_status_on_the_day_asked(
    world: tuple[AppContext, World], tmp_path: Path, as_of: D, a_status: str, missing: str
) -> None:
    ctx, w = world
    made = docs.make_annual_summary(ctx, year=2025, as_of=as_of, path=tmp_path / "汇总.xlsx")
    sheet = load_workbook(made.path, read_only=True)["年报汇总"]
    rows = {r[2]: r for r in sheet.iter_rows(values_only=True) if r and r[2] in w.hosts.values()}
    assert rows[w.hosts["A"]][3].startswith(a_status)
    assert rows[w.hosts["G"]][3] == missing
    assert rows[w.hosts["A"]][4] == ("—" if a_status == "未报送" else "2025年12月31日")


def test_annual_summary_refused_for_a_year_nobody_reports(
    world: tuple[AppContext, World], tmp_path: Path
) -> None:
    ctx, _w = world
    with pytest.raises(ServiceError, match="2018年度没有应报送工作年报的中心"):
        docs.make_annual_summary(ctx, year=2018, as_of=D(2019, 1, 1), path=tmp_path / "汇总.pdf")
    assert documents_in(tmp_path) == []


# --------------------------------------------------------------------------- 评估结果名单


def test_result_list_ordered_by_grade_and_publishable(
    world: tuple[AppContext, World], tmp_path: Path
) -> None:
    ctx, w = world
    made = docs.make_result_list(
        ctx, round_id=w.round_2025, path=tmp_path / "名单.pdf", document_no="柳科发〔2026〕3号"
    )
    text = text_of(made.path)
    assert "2025年度柳州市工程技术研究中心绩效评估结果名单" in text and "柳科发〔2026〕3号" in text
    order = [text.index(w.hosts[x]) for x in ("A", "G", "F", "B", "H", "C", "D")]
    assert order == sorted(order)  # 优秀; 合格 80.5 before 80; 整改 65 before 62; 不合格; 自动放弃
    assert f"{w.names['A']}{w.hosts['A']}优秀" in text
    assert f"{w.names['D']}{w.hosts['D']}视为自动放弃" in text
    assert "优秀1家，合格2家，整改2家，不合格1家" in text
    assert "92.5" not in text  # the published list carries no scores
    assert "二〇二五年十二月十五日" in text  # signed on the day the round finished


def test_result_workbook_has_the_stored_scores(world: tuple[AppContext, World], tmp_path: Path) -> None:
    ctx, w = world
    made = docs.make_result_list(ctx, round_id=w.round_2025, path=tmp_path / "名单.xlsx")
    sheet = load_workbook(made.path, read_only=True)["评估结果"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[2] in w.hosts.values()]
    assert [r[2] for r in rows] == [w.hosts[x] for x in ("A", "G", "F", "B", "H", "C", "D")]
    assert rows[0][3:6] == ("优秀", "是", "92.5")
    assert rows[3][8] == "不满足（1 项）" and rows[3][9] == "限期整改（已执行）"
    assert rows[-1][3:6] == ("视为自动放弃", "否", "—")


@pytest.mark.parametrize("ungraded", [0, 1, 2])
def test_result_list_only_once_every_participant_is_graded(
    world: tuple[AppContext, World], tmp_path: Path, ungraded: int
) -> None:
    ctx, w = world
    with unit_of_work(ctx, "test.setup") as s:
        for letter in "AF"[:ungraded]:
            ev = s.get(Evaluation, w.evaluations[letter])
            assert ev is not None
            ev.grade = None
            s.add(ev)
    path = tmp_path / "名单.pdf"
    if ungraded == 0:
        assert docs.make_result_list(ctx, round_id=w.round_2025, path=path).count == 7
    else:
        with pytest.raises(ServiceError, match="尚未评定全部等级") as exc:
            docs.make_result_list(ctx, round_id=w.round_2025, path=path)
        assert w.names["A"] in str(exc.value)
        assert not path.exists()


def test_result_list_refused_for_an_empty_round(world: tuple[AppContext, World], tmp_path: Path) -> None:
    ctx, _w = world
    with unit_of_work(ctx, "test.setup") as s:
        rnd = EvaluationRound(
            year=2028, title="2028年度柳州市工程技术研究中心绩效评估", started_on=D(2028, 9, 1)
        )
        s.add(rnd)
        s.flush()
        rid = int(rnd.id or 0)
    with pytest.raises(ServiceError, match="还没有列入任何中心"):
        docs.make_result_list(ctx, round_id=rid, path=tmp_path / "名单.pdf")


# --------------------------------------------------------------------------- 整改通知


def test_rectification_notice_as_recorded(world: tuple[AppContext, World], tmp_path: Path) -> None:
    ctx, w = world
    made = docs.make_rectification_notice(ctx, evaluation_id=w.evaluations["B"], path=tmp_path / "整改.pdf")
    text = text_of(made.path)
    assert f"关于{w.names['B']}限期整改的通知" in text
    assert RECTIFY_NO in text  # the 文号 recorded with the change to 整改中
    assert f"{w.hosts['B']}：" in text
    assert "评估结果为“整改”" in text and "整改（总分65）" in text
    assert "自2025年12月15日起至2026年12月15日止" in text
    assert "第二十四条（三）" in text and "整改验收申请" in text and "业务主管部门" in text
    assert "固定研发人员不足10人" in text
    assert "二〇二五年十二月十五日" in text and DEPARTMENT in text
    assert audited(ctx, "rectification_notice")[-1]["deadline"] == "2026-12-15"
    by_centre = docs.make_rectification_notice(ctx, center_id=w.centers["B"], path=tmp_path / "整改2.pdf")
    assert text_of(by_centre.path) == text


@pytest.mark.parametrize(
    ("letter", "message"),
    [
        ("A", "评估结果为“优秀”，不是“整改”"),
        ("F", "评估结果为“合格”，不是“整改”"),
        ("C", "评估结果为“不合格”，不是“整改”"),
        ("D", "没有参加"),
        ("H", "连续二次评估结果为整改"),
    ],
)
def test_rectification_notice_refused_unless_graded_rectify(
    world: tuple[AppContext, World], tmp_path: Path, letter: str, message: str
) -> None:
    ctx, w = world
    with pytest.raises(ServiceError, match=message):
        docs.make_rectification_notice(ctx, evaluation_id=w.evaluations[letter], path=tmp_path / "x.pdf")
    assert documents_in(tmp_path) == []


def test_rectification_notice_waits_for_the_recorded_rectification(
    world: tuple[AppContext, World], tmp_path: Path
) -> None:
    ctx, w = world
    with unit_of_work(ctx, "test.setup") as s:
        ev = s.get(Evaluation, w.evaluations["F"])
        assert ev is not None
        ev.grade = "整改"
        s.add(ev)
    with pytest.raises(ServiceError, match="整改还没有记录"):
        docs.make_rectification_notice(ctx, evaluation_id=w.evaluations["F"], path=tmp_path / "x.pdf")


# --------------------------------------------------------------------------- 整改验收结果


def test_acceptance_passed_keeps_the_title(world: tuple[AppContext, World], tmp_path: Path) -> None:
    ctx, w = world
    made = docs.make_acceptance_result(
        ctx, rectification_id=w.rectifications["G"], path=tmp_path / "验收.pdf"
    )
    text = text_of(made.path)
    assert f"关于{w.names['G']}整改验收结果的通知" in text
    assert "整改合格" in text and "继续保留柳州市工程技术研究中心称号" in text
    assert "2024年3月1日" in text and "2024年2月28日" in text and "整改措施落实到位" in text
    assert "取消" not in text


def test_acceptance_failed_revokes_with_the_reapply_date(
    world: tuple[AppContext, World], tmp_path: Path
) -> None:
    ctx, w = world
    made = docs.make_acceptance_result(ctx, center_id=w.centers["E"], path=tmp_path / "验收.pdf")
    text = text_of(made.path)
    assert "没有明显进步" in text and "第二十四条（三）" in text
    assert "自2024年2月29日起取消柳州市工程技术研究中心称号" in text
    assert "2026年2月28日起" in text  # 29 February + 2 years (第二十五条)
    assert "继续保留" not in text


def test_acceptance_result_refused_while_pending(world: tuple[AppContext, World], tmp_path: Path) -> None:
    ctx, w = world
    with pytest.raises(ServiceError, match="整改验收尚未记录结果"):
        docs.make_acceptance_result(ctx, rectification_id=w.rectifications["B"], path=tmp_path / "x.pdf")
    with pytest.raises(ServiceError, match="没有整改记录"):
        docs.make_acceptance_result(ctx, center_id=w.centers["A"], path=tmp_path / "x.pdf")


# --------------------------------------------------------------------------- 撤销通知


def test_revocation_notice_after_a_failed_grade(world: tuple[AppContext, World], tmp_path: Path) -> None:
    ctx, w = world
    made = docs.make_revocation_notice(ctx, center_id=w.centers["C"], path=tmp_path / "撤销.pdf")
    text = text_of(made.path)
    assert f"关于撤销{w.names['C']}称号的通知" in text and REVOKE_NO in text
    assert "2025年度绩效评估结果为不合格" in text and "第二十四条（四）" in text
    assert "自2025年12月15日起撤销" in text and "二〇二五年十二月十五日" in text
    assert "2027年12月15日起" in text and "第二十五条" in text and "第九条基本条件" in text
    assert audited(ctx, "revocation_notice")[-1]["reapply_from"] == "2027-12-15"


def test_revocation_notice_derives_the_article_when_the_reason_is_blank(
    world: tuple[AppContext, World], tmp_path: Path
) -> None:
    ctx, w = world
    text = text_of(docs.make_revocation_notice(ctx, center_id=w.centers["E"], path=tmp_path / "e.pdf").path)
    assert "整改验收未通过" in text and "第二十四条（三）" in text and "2026年2月28日起" in text
    text = text_of(docs.make_revocation_notice(ctx, center_id=w.centers["H"], path=tmp_path / "h.pdf").path)
    assert "连续二次评估结果为整改" in text and "第二十四条（四）" in text and "2027年12月15日起" in text


@pytest.mark.parametrize("letter", ["A", "B", "D"])
def test_revocation_notice_only_for_a_revoked_centre(
    world: tuple[AppContext, World], tmp_path: Path, letter: str
) -> None:
    ctx, w = world
    with pytest.raises(ServiceError, match="不是“已撤销”，不能生成撤销通知"):
        docs.make_revocation_notice(ctx, center_id=w.centers[letter], path=tmp_path / "x.pdf")
    assert documents_in(tmp_path) == []


# --------------------------------------------------------------------------- CLI


def test_cli_writes_and_refuses(world: tuple[AppContext, World], tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _ctx, w = world
    db = str(tmp_path / "db.sqlite")
    out = tmp_path / "通知.pdf"
    code = cli_main(
        ["--db", db, "evaluation-document", "revocation-notice", str(w.centers["C"]), "-o", str(out)]
    )
    assert code == 0 and out.exists() and "已生成撤销称号通知" in capsys.readouterr().out
    code = cli_main(
        ["--db", db, "evaluation-document", "revocation-notice", str(w.centers["A"]), "-o", str(out)]
    )
    assert code == 2 and "不是“已撤销”" in capsys.readouterr().err
    out = tmp_path / "汇总.xlsx"
    code = cli_main(
        ["--db", db, "evaluation-document", "annual-summary", "2025", "--as-of", "2026-01-01", "-o", str(out)]
    )
    assert code == 0 and out.exists()


# --------------------------------------------------------------------------- through the real services


def test_documents_follow_the_consequence_services(world: tuple[AppContext, World], tmp_path: Path) -> None:
    """F graded 整改 (first time) → 整改中 through apply_consequence; the notice prints the recorded
    period; the acceptance fails on the deadline day → 已撤销; G graded 整改 again (2022 was 整改) →
    revoked at once. Each document says what the services recorded."""
    from lzcenter_desktop.services.evaluation import consequences, rectification

    ctx, w = world
    with unit_of_work(ctx, "test.setup") as s:
        for letter in "FG":
            ev = s.get(Evaluation, w.evaluations[letter])
            assert ev is not None
            ev.grade = "整改"
            s.add(ev)
    on = D(2026, 2, 28)
    consequences.apply_consequence(
        ctx, evaluation_id=w.evaluations["F"], on=on, document_no="柳科发〔2026〕5号"
    )
    text = text_of(
        docs.make_rectification_notice(ctx, evaluation_id=w.evaluations["F"], path=tmp_path / "f.pdf").path
    )
    assert "柳科发〔2026〕5号" in text and "自2026年2月28日起至2027年2月28日止" in text
    with reading(ctx) as s:
        rect = s.execute(
            select(Rectification).where(col(Rectification.evaluation_id) == w.evaluations["F"])
        ).scalar_one()
    rectification.request_acceptance(ctx, rectification_id=int(rect.id or 0), applied_on=rect.deadline)
    rectification.record_acceptance(
        ctx, rectification_id=int(rect.id or 0), checked_on=D(2028, 2, 29), passed=False, note="研发投入下降"
    )
    text = text_of(docs.make_acceptance_result(ctx, center_id=w.centers["F"], path=tmp_path / "fa.pdf").path)
    assert "自2028年2月29日起取消柳州市工程技术研究中心称号" in text and "2030年2月28日起" in text
    text = text_of(docs.make_revocation_notice(ctx, center_id=w.centers["F"], path=tmp_path / "fr.pdf").path)
    assert "整改期间没有明显进步，整改验收未通过。根据" in text and "第二十四条（三）的规定" in text
    assert "自2028年2月29日起撤销" in text and "2030年2月28日起" in text
    assert consequences.reapply_from(ctx, center_id=w.centers["F"]) == D(2030, 2, 28)

    consequences.apply_consequence(ctx, evaluation_id=w.evaluations["G"], on=NOTICE)
    with pytest.raises(ServiceError, match="连续二次评估结果为整改"):
        docs.make_rectification_notice(ctx, evaluation_id=w.evaluations["G"], path=tmp_path / "g.pdf")
    text = text_of(docs.make_revocation_notice(ctx, center_id=w.centers["G"], path=tmp_path / "gr.pdf").path)
    assert "连续二次结果为整改" in text and "第二十四条（四）的规定" in text and "2027年12月15日起" in text


# --------------------------------------------------------------------------- the self-test's steps


@pytest.mark.parametrize("checked", [True, False])
def test_selftest_steps_make_and_reopen_each_kind(
    world: tuple[AppContext, World], tmp_path: Path, checked: bool
) -> None:
    from lzcenter_desktop.cli.selftest_evaluation import evaluation_document_steps

    ctx, w = world
    if not checked:  # no acceptance recorded yet: the step records one on B (through the services)
        with unit_of_work(ctx, "test.setup") as s:
            for letter in "EG":
                rect = s.get(Rectification, w.rectifications[letter])
                assert rect is not None
                rect.outcome, rect.checked_on = "pending", None
                s.add(rect)
    steps = evaluation_document_steps(ctx, tmp_path)
    assert len(steps) == 5
    for _title, _kinds, action in steps:
        assert "页" in action()
    assert sorted(p.suffix for p in tmp_path.glob("*.*") if ".sqlite" not in p.name).count(".pdf") == 5
    if not checked:
        with reading(ctx) as s:
            rect = s.get(Rectification, w.rectifications["B"])
            assert rect is not None and rect.outcome == "accepted" and rect.checked_on == D(2026, 12, 15)


@pytest.mark.parametrize(("length", "ok"), [(99, True), (100, True), (101, False)])
def test_document_no_length(world: tuple[AppContext, World], tmp_path: Path, length: int, ok: bool) -> None:
    ctx, w = world
    number = "柳" * length
    path = tmp_path / "整改.pdf"
    if ok:
        made = docs.make_rectification_notice(
            ctx, evaluation_id=w.evaluations["B"], path=path, document_no=number
        )
        assert number in text_of(made.path)
    else:
        with pytest.raises(ServiceError, match="文号过长（101 个字），最多 100 个字"):
            docs.make_rectification_notice(
                ctx, evaluation_id=w.evaluations["B"], path=path, document_no=number
            )
        assert not path.exists()


@pytest.mark.parametrize(
    ("args", "suffix"),
    [
        (["result-list", "{round}", "--date", "2026-01-10"], ".xlsx"),
        (["rectification-notice", "--center", "{B}"], ".pdf"),
        (["acceptance-result", "--rectification", "{rG}"], ".pdf"),
    ],
)
def test_cli_kinds(
    world: tuple[AppContext, World], tmp_path: Path, args: list[str], suffix: str, capsys
) -> None:  # type: ignore[no-untyped-def]
    _ctx, w = world
    values = {"round": w.round_2025, "B": w.centers["B"], "rG": w.rectifications["G"]}
    out = tmp_path / f"文档{suffix}"
    argv = [a.format(**values) for a in args]
    code = cli_main(["--db", str(tmp_path / "db.sqlite"), "evaluation-document", *argv, "-o", str(out)])
    assert code == 0 and out.exists() and "已生成" in capsys.readouterr().out
    wrong = tmp_path / "文档.txt"
    code = cli_main(["--db", str(tmp_path / "db.sqlite"), "evaluation-document", *argv, "-o", str(wrong)])
    assert code == 2 and "结尾的文件名" in capsys.readouterr().err and not wrong.exists()
