"""The review's documents from the records (services/documents_review*.py, issue 13 item 10): the
text of each PDF agrees with what is stored — names, numbers, dates, two-decimal totals that never
round onto 60 (59.995 → 59.99) — the ranking workbook reopens with exact and shown totals, each
document is audited, and what cannot be printed is refused before anything is written.

One call is walked once per module through the services and copied for each test at three points:
``assigned`` (experts assigned, nothing scored; one declaration returned by 形式审查), ``scored``
(every score in, the session still open) and ``done`` (session closed with a 原则上 exception,
notice published, batch recognised).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from lzcenter_desktop.cli import main as cli_main
from lzcenter_desktop.documents.layout import chinese_date
from lzcenter_desktop.services import documents_review as docs
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.documents_review_notices import notice_body
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import (
    assignments,
    experts,
    formal,
    lookup,
    notice,
    recognition,
    results,
    scoring,
)
from lzcenter_desktop.services.review.results import OutcomeException
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import AuditEntry, Recognition
from tests import db_backend
from tests.integration.review.scoring_helpers import points_for
from tests.review_fixtures import FORMAL_ON, REVIEW_ON, open_review_db, review_setup, submit_declaration

OPERATOR = "覃科长"
DECIDED = REVIEW_ON + dt.timedelta(days=2)
PUBLISHED = DECIDED + dt.timedelta(days=1)
NOTICE_NO = "柳科公〔2026〕3号"
RECOGNITION_NO = "柳科发〔2026〕58号"
REASONS = ("缺少依托单位营业执照复印件", "近三年研发投入数据与财务报表不一致")
EXCEPTION = "填补本市产业空白，经局务会研究同意拟认定"
COMMENT = "研发条件较好，建议加强产学研合作"
# each expert's total per declaration (in assignment order) and the site score
EXPERT_TOTALS = (("85", "82.5", "88"), ("59.99", "59.99", "59.99"), ("70", "71", "72"))
SITE = ("80", "60", "65")


@dataclass(frozen=True)
class World:
    call_id: int
    declarations: tuple[int, ...]  # d0, d1, d2 reviewed; d3 returned by 形式审查
    session_id: int
    experts: dict[int, list[tuple[int, int]]]  # declaration → [(assignment, expert)]
    notice_id: int | None = None


def _active(ctx: AppContext, session_id: int) -> dict[int, list[tuple[int, int]]]:
    out: dict[int, list[tuple[int, int]]] = {}
    for a in assignments.list_assignments(ctx, session_id=session_id, include_recused=False):
        out.setdefault(a.declaration_id, []).append((a.id, a.expert_id))
    return {k: sorted(v) for k, v in out.items()}


def _copy(source: Path, target: Path) -> Path:
    db_backend.copy_database(source, target)
    return target


@pytest.fixture(scope="module")
def stages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, World]]:
    folder = tmp_path_factory.mktemp("review-documents")
    ctx = open_review_db(folder, operator=OPERATOR)
    try:
        setup = review_setup(ctx, declarations=3, expert_count=6, per_declaration=3)
        returned = submit_declaration(ctx, 4)
        formal.decide_formal(
            ctx, declaration_id=returned, decision="returned", on=FORMAL_ON, reasons=list(REASONS)
        )
        active = _active(ctx, setup.session_id)
        world = World(setup.call_id, (*setup.declaration_ids, returned), setup.session_id, active)
        out = {"assigned": (_copy(folder / "review.sqlite", folder / "assigned.sqlite"), world)}

        for decl, totals, site in zip(setup.declaration_ids, EXPERT_TOTALS, SITE, strict=True):
            for (assignment_id, _expert), total in zip(active[decl], totals, strict=True):
                scoring.enter_expert_scores(
                    ctx, assignment_id=assignment_id, points=points_for(total), scored_on=REVIEW_ON,
                    comment=COMMENT if total == "85" else None,
                )  # fmt: skip
            scoring.enter_site_score(
                ctx, session_id=setup.session_id, declaration_id=decl, team="第一考察组", score=site,
                inspected_on=REVIEW_ON,
            )  # fmt: skip
        out["scored"] = (_copy(folder / "review.sqlite", folder / "scored.sqlite"), world)

        d1 = setup.declaration_ids[1]
        results.close_session(
            ctx, session_id=setup.session_id, decided_on=DECIDED,
            exceptions={d1: OutcomeException("proposed", EXCEPTION)},
        )  # fmt: skip
        view = notice.publish_notice(
            ctx, call_id=setup.call_id, title="2026年度柳州市工程技术研究中心拟认定名单公示",
            published_on=PUBLISHED, document_no=NOTICE_NO,
        )  # fmt: skip
        recognition.recognise_notice(
            ctx,
            notice_id=view.id,
            document_no=RECOGNITION_NO,
            recognized_on=view.ends_on + dt.timedelta(days=1),
        )
        done = replace(world, notice_id=view.id)
        out["done"] = (_copy(folder / "review.sqlite", folder / "done.sqlite"), done)
    finally:
        ctx.db.dispose()
    return out


def _open(
    stages: dict[str, tuple[Path, World]], stage: str, tmp_path: Path
) -> Iterator[tuple[AppContext, World]]:
    template, world = stages[stage]
    ctx = open_app(str(_copy(template, tmp_path / f"{stage}.sqlite")), operator=OPERATOR)
    yield ctx, world
    ctx.db.dispose()


@pytest.fixture
def assigned(stages: dict[str, tuple[Path, World]], tmp_path: Path) -> Iterator[tuple[AppContext, World]]:
    yield from _open(stages, "assigned", tmp_path)


@pytest.fixture
def scored(stages: dict[str, tuple[Path, World]], tmp_path: Path) -> Iterator[tuple[AppContext, World]]:
    yield from _open(stages, "scored", tmp_path)


@pytest.fixture
def done(stages: dict[str, tuple[Path, World]], tmp_path: Path) -> Iterator[tuple[AppContext, World]]:
    yield from _open(stages, "done", tmp_path)


def text_of(pdf: Path, *, layout: bool = False) -> str:
    """The text of a PDF: in drawing order (a table cell by cell, row by row), or laid out."""
    args = ["pdftotext", "-enc", "UTF-8", "-layout" if layout else "-raw", str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def squash(text: str) -> str:
    return "".join(text.split())


def written(folder: Path) -> list[str]:
    """The files in ``folder`` other than the test's database (no document, no temporary file)."""
    return sorted(p.name for p in folder.iterdir() if ".sqlite" not in p.name)


def score_rows(pdf: Path, page: int) -> list[tuple[str, str]]:
    """(满分, 得分) of each row of a score sheet page that has both, the 合计 row last."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return re.findall(r"^.*?\s(\d+)\s{2,}(\d+(?:\.\d+)?)[ \t]*$", text, re.M)


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    assert found is not None
    return int(found.group(1))


def audited(ctx: AppContext, kind: str) -> list[dict]:
    with reading(ctx) as s:
        rows = s.execute(
            select(AuditEntry).where(
                col(AuditEntry.entity) == "document", col(AuditEntry.operation) == "issue"
            )
        ).scalars()
        found = [json.loads(r.after or "{}") for r in rows]
    return [d for d in found if d.get("kind") == kind]


def centre(ctx: AppContext, declaration_id: int) -> tuple[str, str]:
    """(centre name, host name) of a declaration as the records give them."""
    with reading(ctx) as s:
        return lookup.declaration_names(s, [declaration_id])[declaration_id]


# --------------------------------------------------------------------------- 专家评分表


def test_an_experts_sheets_show_their_own_points_and_totals_only(done, tmp_path: Path) -> None:
    ctx, world = done
    d0 = world.declarations[0]
    (_, expert_id), (_, other_expert) = world.experts[d0][0], world.experts[d0][1]
    made = docs.make_score_sheets(
        ctx, session_id=world.session_id, expert_id=expert_id, path=tmp_path / "a.pdf"
    )
    own = [d for d, rows in world.experts.items() if any(e == expert_id for _, e in rows)]
    assert made.count == len(own) == pages(made.path)
    text = squash(text_of(made.path))
    name = experts.get_expert(ctx, expert_id).name
    assert name in text and "2026年度第一次评审会" in text and "评审专家（签字）：" in text
    assert all(squash(centre(ctx, d)[0]) in text for d in own)
    for indicator in ("研发条件", "研发队伍", "研发成果", "产学研合作", "运行管理", "发展规划"):
        assert indicator in text
    # 85 = 20 + 20 + 20 + 15 + 10 + 0: each point as entered, the total with two decimals, the opinion
    assert own[0] == d0 and COMMENT in text
    assert score_rows(made.path, 1) == [
        ("20", "20"), ("20", "20"), ("20", "20"), ("15", "15"), ("10", "10"), ("15", "0"), ("100", "85.00")
    ]  # fmt: skip
    # blind: another expert's total of the same declaration (82.50) is not on this expert's sheets
    other = experts.get_expert(ctx, other_expert).name
    assert "82.50" not in text and other not in text


def test_sheets_before_scoring_have_blank_boxes(assigned, tmp_path: Path) -> None:
    ctx, world = assigned
    made = docs.make_score_sheets(ctx, session_id=world.session_id, path=tmp_path / "all.pdf")
    assignments_count = sum(len(v) for v in world.experts.values())
    assert made.count == assignments_count == pages(made.path)
    layout = text_of(made.path, layout=True)
    total_lines = [line for line in layout.splitlines() if line.strip().startswith("合计")]
    # every 合计 row holds the maximum 100 and nothing after it, no indicator row has points: blank boxes
    assert len(total_lines) == assignments_count
    assert all(re.search(r"合计\s+100\s*$", line) for line in total_lines)
    assert score_rows(made.path, 1) == [] and "评审意见：" in layout
    assert audited(ctx, "score_sheets")[-1]["sheets"] == assignments_count


def test_an_expert_without_declarations_in_the_session_is_refused(assigned, tmp_path: Path) -> None:
    ctx, world = assigned
    spare = experts.create_expert(ctx, name="备用专家", unit="广西测试99号研究院", specialty="智能制造")
    with pytest.raises(
        ServiceError, match="专家备用专家在评审会“2026年度第一次评审会”中没有需要评分的申报书"
    ):
        docs.make_score_sheets(ctx, session_id=world.session_id, expert_id=spare, path=tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


# --------------------------------------------------------------------------- 汇总表 and 排名表


def test_summary_of_a_closed_session_agrees_with_the_results(done, tmp_path: Path) -> None:
    ctx, world = done
    made = docs.make_session_summary(ctx, session_id=world.session_id, path=tmp_path / "sum.pdf")
    text = squash(text_of(made.path))
    assert "2026年度第一次评审会汇总表" in text and "算术平均" in text and "预览" not in text
    assert "2026年度第一次评审会（已结束）" in text
    assert f"{REVIEW_ON.year}年{REVIEW_ON.month}月{REVIEW_ON.day}日" in text
    assert f"{DECIDED.year}年{DECIDED.month}月{DECIDED.day}日" in text
    assert "总分=专家评审得分×50%+现场考察得分×50%" in text
    for expert_id in {e for rows in world.experts.values() for _, e in rows}:
        assert experts.get_expert(ctx, expert_id).name in text
    rows = {r.declaration_id: r for r in results.session_results(ctx, session_id=world.session_id)}
    layout = re.sub(r"\s+", " ", text_of(made.path, layout=True))
    d0, d1, d2 = world.declarations[:3]
    # expert score, site score, total in the order of the columns; 59.995 is shown 59.99
    assert "85.16 80.00 82.58" in layout and "71.00 65.00 68.00" in layout
    assert "59.99 60.00 59.99" in layout and "60.00 60.00" not in layout
    assert "85.00、82.50、88.00" in text and "59.99、59.99、59.99" in text
    assert rows[d1].shown_total == "59.99" and rows[d1].total_text == "59.995"
    assert f"拟认定（例外：{EXCEPTION}）" in text
    assert [(r.rank, r.declaration_id) for r in rows.values()] == [(1, d0), (2, d2), (3, d1)]
    record = audited(ctx, "session_summary")[-1]
    assert (
        record["preview"] is False and record["totals"][str(d1)] == "59.995" and record["ranks"][str(d1)] == 3
    )


def test_summary_of_an_open_session_is_a_marked_preview(scored, tmp_path: Path) -> None:
    ctx, world = scored
    made = docs.make_session_summary(ctx, session_id=world.session_id, path=tmp_path / "preview.pdf")
    text = squash(text_of(made.path))
    assert "评审会尚未结束，以下为按当前评分计算的预览" in text and "尚未结束（预览）" in text
    assert "59.9960.0059.99" in text and made.title.endswith("（预览）")
    assert audited(ctx, "session_summary")[-1]["preview"] is True


def test_summary_is_refused_while_scores_are_missing(assigned, tmp_path: Path) -> None:
    ctx, world = assigned
    with pytest.raises(ServiceError, match=r"尚未结束，且评分尚未齐全：专家.*还不能生成汇总表"):
        docs.make_session_summary(ctx, session_id=world.session_id, path=tmp_path / "s.pdf")
    assert not (tmp_path / "s.pdf").exists() and audited(ctx, "session_summary") == []


def test_ranking_workbook_has_exact_and_shown_totals(done, tmp_path: Path) -> None:
    ctx, world = done
    made = docs.make_ranking_workbook(ctx, session_id=world.session_id, path=tmp_path / "rank.xlsx")
    sheet = load_workbook(made.path)["排名"]
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[0] == "排名")
    header = rows[header_at]
    body = [dict(zip(header, r, strict=True)) for r in rows[header_at + 1 :]]
    d0, d1, d2 = world.declarations[:3]
    assert [(r["排名"], r["申报书编号"]) for r in body] == [(1, d0), (2, d2), (3, d1)]
    by_id = {r["申报书编号"]: r for r in body}
    assert by_id[d1]["总分"] == pytest.approx(59.99) and by_id[d1]["总分（精确值）"] == "59.995"
    assert by_id[d0]["总分"] == pytest.approx(82.58) and by_id[d0]["总分（精确值）"] == "991/12"
    assert by_id[d0]["专家评审得分（精确值）"] == "511/6" and by_id[d0]["专家评审得分"] == pytest.approx(
        85.16
    )
    assert by_id[d1]["评审结论"] == "拟认定" and by_id[d1]["按分数线的结论"] == "不予认定"
    assert by_id[d1]["例外理由"] == EXCEPTION and by_id[d0]["例外理由"] in ("", None)
    total_cell = sheet.cell(row=header_at + 2 + 2, column=header.index("总分") + 1)
    assert total_cell.number_format == "0.00"  # the cut value under two decimals: never shown 60.00
    assert by_id[d0]["中心名称"] == centre(ctx, d0)[0] and by_id[d0]["汇总方式"] == "算术平均"


def test_ranking_of_an_open_session_is_refused(scored, tmp_path: Path) -> None:
    ctx, world = scored
    with pytest.raises(ServiceError, match="尚未结束，排名表只能在“结束评审并确定结果”后生成"):
        docs.make_ranking_workbook(ctx, session_id=world.session_id, path=tmp_path / "r.xlsx")
    assert not (tmp_path / "r.xlsx").exists()


@pytest.mark.parametrize(("kind", "name"), [("ranking", "r.pdf"), ("session_summary", "s.xlsx")])
def test_the_file_type_must_match_the_document(done, tmp_path: Path, kind: str, name: str) -> None:
    ctx, world = done
    make = docs.make_ranking_workbook if kind == "ranking" else docs.make_session_summary
    with pytest.raises(ServiceError, match=f"{docs.KINDS[kind]}应保存为"):
        make(ctx, session_id=world.session_id, path=tmp_path / name)


# --------------------------------------------------------------------------- 形式审查


def test_formal_result_lists_each_conclusion_with_its_reasons(assigned, tmp_path: Path) -> None:
    ctx, world = assigned
    made = docs.make_formal_result(
        ctx,
        call_id=world.call_id,
        path=tmp_path / "f.pdf",
        document_no="柳科公〔2026〕1号",
        signed_on=FORMAL_ON,
    )
    assert made.count == 4
    text = squash(text_of(made.path))
    assert "2026年度柳州市工程技术研究中心认定申报形式审查结果" in text and "柳科公〔2026〕1号" in text
    for d in world.declarations:
        name, host = centre(ctx, d)
        assert squash(name) in text and squash(host) in text
    assert text.count("通过") == 3 and "退回补正" in text
    assert "；".join(REASONS) in text and chinese_date(FORMAL_ON) in text
    assert "请申报单位按所列原因补正申报材料后重新提交" in text


def test_return_notice_gives_the_applicant_the_reasons(assigned, tmp_path: Path) -> None:
    ctx, world = assigned
    d3 = world.declarations[3]
    made = docs.make_return_notices(ctx, declaration_id=d3, path=tmp_path / "n.pdf")
    text = squash(text_of(made.path))
    name, host = centre(ctx, d3)
    assert f"{host}：" in text and f"你单位申报的“{name}”" in squash(text)
    assert f"1.{REASONS[0]}" in text and f"2.{REASONS[1]}" in text
    assert chinese_date(FORMAL_ON) in text and "柳州市科学技术局" in text
    by_call = docs.make_return_notices(ctx, call_id=world.call_id, path=tmp_path / "all.pdf")
    assert by_call.count == 1 == pages(by_call.path)
    with pytest.raises(ServiceError, match="没有被退回补正过"):
        docs.make_return_notices(ctx, declaration_id=world.declarations[0], path=tmp_path / "x.pdf")
    with pytest.raises(ServiceError, match="请指定一份申报书"):
        docs.make_return_notices(ctx, path=tmp_path / "x.pdf")


# --------------------------------------------------------------------------- 公示 and 认定


def test_public_notice_says_the_period_and_how_to_object(done, tmp_path: Path) -> None:
    ctx, world = done
    assert world.notice_id is not None
    view = notice.get_notice(ctx, world.notice_id)
    made = docs.make_public_notice(
        ctx, notice_id=world.notice_id, path=tmp_path / "p.pdf", contact="覃科长，电话0772-2800000"
    )
    text = squash(text_of(made.path))
    end = view.ends_on
    assert "2026年度柳州市工程技术研究中心拟认定名单公示" in text and NOTICE_NO in text
    assert (
        f"{PUBLISHED.year}年{PUBLISHED.month}月{PUBLISHED.day}日至{end.year}年{end.month}月{end.day}日"
        in text
    )
    assert "以书面形式" in text and "加盖本单位公章" in text and "签署真实姓名" in text
    assert "联系方式：覃科长，电话0772-2800000" in text and chinese_date(PUBLISHED) in text
    assert made.count == len(view.items) == 3  # d0, d2 and d1 by exception
    assert all(squash(i.center_name) in text for i in view.items)
    blank = docs.make_public_notice(ctx, notice_id=world.notice_id, path=tmp_path / "b.pdf")
    assert "联系人：" in text_of(blank.path) and "联系电话：" in text_of(blank.path)


def test_a_notice_text_without_period_or_objection_rules_gets_them_added(done) -> None:
    ctx, world = done
    assert world.notice_id is not None
    view = replace(notice.get_notice(ctx, world.notice_id), body="经评审，拟认定以下中心，现予公示。")
    body = notice_body(ctx, view)
    assert body.startswith("经评审，拟认定以下中心，现予公示。\n公示期：")
    assert "（7天）" in body and "须加盖本单位公章" in body and "匿名异议和逾期提出的异议不予受理" in body
    assert notice_body(ctx, replace(view, body=None)).count("公示期：") == 1  # the usual text says it once


def test_recognition_notice_lists_the_batch_as_recorded(done, tmp_path: Path) -> None:
    ctx, world = done
    made = docs.make_recognition_notice(ctx, notice_id=world.notice_id, path=tmp_path / "r.pdf")
    again = docs.make_recognition_notice(ctx, document_no=RECOGNITION_NO, path=tmp_path / "r2.pdf")
    assert text_of(made.path) == text_of(again.path)
    text = squash(text_of(made.path))
    with reading(ctx) as s:
        batch = list(
            s.execute(select(Recognition).where(col(Recognition.document_no) == RECOGNITION_NO)).scalars()
        )
    assert made.count == len(batch) == 3
    assert "柳州市科学技术局关于认定2026年度柳州市工程技术研究中心的通知" in text and RECOGNITION_NO in text
    assert chinese_date(batch[0].recognized_on) in text
    for r in batch:
        assert squash(r.title_awarded) in text and r.title_awarded.startswith("柳州市")
        assert r.certificate_no in text and r.plaque_no in text
    assert f"公示期为{PUBLISHED.year}年{PUBLISHED.month}月{PUBLISHED.day}日至" in text
    with pytest.raises(ServiceError, match="没有认定文号为“柳科发〔2099〕1号”的认定记录"):
        docs.make_recognition_notice(ctx, document_no="柳科发〔2099〕1号", path=tmp_path / "x.pdf")
    record = audited(ctx, "recognition_notice")[-1]
    assert record["document_no"] == RECOGNITION_NO and sorted(record["certificate_nos"]) == sorted(
        r.certificate_no for r in batch
    )


def test_no_recognition_notice_before_the_batch_is_recognised(scored, tmp_path: Path) -> None:
    ctx, _world = scored
    with pytest.raises(ServiceError, match="请填写认定文号"):
        docs.make_recognition_notice(ctx, path=tmp_path / "x.pdf")


# --------------------------------------------------------------------------- what cannot be printed


def test_a_character_the_fonts_lack_is_reported_before_printing(scored, tmp_path: Path) -> None:
    ctx, world = scored
    d0 = world.declarations[0]
    assignment_id, expert_id = world.experts[d0][0]
    scoring.enter_expert_scores(
        ctx,
        assignment_id=assignment_id,
        points=points_for("85"),
        scored_on=REVIEW_ON,
        comment="建议\U00030000",
    )
    target = tmp_path / "sheets.pdf"
    with pytest.raises(docs.GlyphProblem) as caught:
        docs.make_score_sheets(ctx, session_id=world.session_id, expert_id=expert_id, path=target)
    assert [(m.char, m.code) for m in caught.value.missing] == [("\U00030000", "U+30000")]
    assert "评审意见" in caught.value.missing[0].field and "未写出任何文件" in caught.value.message
    assert not target.exists() and written(tmp_path) == []
    assert audited(ctx, "score_sheets") == []


def test_a_control_character_is_refused_naming_the_field(done, tmp_path: Path) -> None:
    ctx, world = done
    with pytest.raises(ServiceError, match=r"“联系方式”含有不可见的控制字符 U\+200B"):
        docs.make_public_notice(
            ctx, notice_id=world.notice_id, path=tmp_path / "p.pdf", contact="覃\u200b科长"
        )
    assert written(tmp_path) == []


# --------------------------------------------------------------------------- command line


def test_the_command_line_makes_the_same_documents(
    done, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx, world = done
    ctx.db.dispose()
    base = ["--db", str(tmp_path / "done.sqlite"), "--operator", OPERATOR, "review-document"]
    assert cli_main([*base, "ranking", str(world.session_id), "-o", str(tmp_path / "r.xlsx")]) == 0
    assert "已生成评审排名表" in capsys.readouterr().out
    assert load_workbook(tmp_path / "r.xlsx")["排名"] is not None
    assert (
        cli_main([*base, "recognition-notice", "--doc-no", RECOGNITION_NO, "-o", str(tmp_path / "n.pdf")])
        == 0
    )
    assert RECOGNITION_NO in text_of(tmp_path / "n.pdf")
    code = cli_main(
        [
            *base,
            "public-notice",
            str(world.notice_id),
            "--contact",
            "\U00030000",
            "-o",
            str(tmp_path / "p.pdf"),
        ]
    )
    assert code == 2 and "U+30000" in capsys.readouterr().err and not (tmp_path / "p.pdf").exists()
