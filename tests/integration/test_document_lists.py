"""The lists of a year (services/documents_lists.py): each list is of the call / evaluation / report
year it is for — not of what the register holds today — and of one batch (a 公示, a 认定文号)
where the bureau publishes in parts; the latest year with data is the default; a year, batch or
kind without data is refused in Chinese, naming what has data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from lzcenter_desktop.services import documents
from lzcenter_desktop.services.centers import add_center, add_recognition, apply_state_change
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.organizations import add_organization
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage.models import (
    AnnualReport,
    Center,
    CenterStateChange,
    Evaluation,
    EvaluationRound,
    PublicNoticeItem,
    Rectification,
)
from tests import db_sql
from tests.review_records import add_notice, add_review_result, call_of_year


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(str(tmp_path / "lists.sqlite"))
    yield context
    context.db.dispose()


@dataclass
class Register:
    """Handles on what the tests put in the register (centre ids by short name, call ids by year),
    recorded as the 评审 section records them (tests/review_records.py)."""

    session: Session
    centres: dict[str, int] = field(default_factory=dict)
    notices: dict[tuple[int, date, str | None], int] = field(default_factory=dict)

    def call(self, year: int) -> int:
        return call_of_year(self.session, year)

    def centre(
        self,
        short: str,
        *,
        steps_in: int,
        until: str = "public_notice",
        notice: tuple[date, str | None] | None = None,
    ) -> Center:
        """A centre of the ``steps_in`` call, walked up to ``until``: reviewed 拟认定 on June 1, and
        on a 公示 (``notice``: its first day and 文号; by default July 1, without 文号)."""
        org = add_organization(self.session, name=f"柳州{short}有限公司", kind="enterprise")
        assert org.id is not None
        centre = add_center(
            self.session,
            name_zh=f"柳州{short}工程技术研究中心（柳州{short}有限公司）",
            host_id=org.id,
            on=date(steps_in, 3, 1),
            industries=["汽车"],
        )
        assert centre.id is not None
        self.centres[short] = centre.id
        for state, month in (("submitted", 4), ("under_review", 5)):
            apply_state_change(
                self.session, centre, to_state=state, on=date(steps_in, month, 1), reason="测试"
            )
        if until == "under_review":
            return centre
        add_review_result(self.session, centre.id, call_year=steps_in, decided_on=date(steps_in, 6, 1))
        apply_state_change(self.session, centre, to_state="proposed", on=date(steps_in, 6, 1), reason="测试")
        if until == "proposed":
            return centre
        start, document_no = notice or (date(steps_in, 7, 1), None)
        key = (steps_in, start, document_no)
        if key in self.notices:
            item = {"notice_id": self.notices[key], "center_id": centre.id}
            self.session.add(PublicNoticeItem.model_validate(item))
        else:
            self.notices[key] = add_notice(
                self.session, [centre.id], call_year=steps_in, start=start, document_no=document_no
            )
        apply_state_change(self.session, centre, to_state="public_notice", on=start, reason="测试")
        return centre

    def entered_by_hand(self, short: str, *, proposed_on: date) -> None:
        """A centre whose step into 拟认定 was entered by hand before the 评审 section existed (no
        review result, no 公示 on record): the rows as such a database holds them."""
        centre = self.centre(short, steps_in=proposed_on.year, until="under_review")
        row = {
            "center_id": centre.id,
            "changed_on": proposed_on,
            "from_state": centre.state,
            "to_state": "proposed",
            "operator": "旧版本",
            "reason": "专家评审通过",
        }
        self.session.add(CenterStateChange.model_validate(row))
        centre.state, centre.state_since = "proposed", proposed_on

    def recognise(self, short: str, *, on: date, document_no: str, call_year: int | None) -> None:
        """发文认定; ``call_year=None``: a recognition recorded without its call (an older database)."""
        centre = self.session.get(Center, self.centres[short])
        assert centre is not None
        recognition = add_recognition(
            self.session,
            centre,
            on=on,
            document_no=document_no,
            plaque_no=None,
            certificate_no=f"证-{short}",
            call_id=self.call(call_year) if call_year is not None else None,
        )
        if call_year is None:
            recognition.call_id = recognition.declaration_id = None


def build(ctx: AppContext, fill: Any) -> dict[str, int]:
    with unit_of_work(ctx, "test.lists") as session:
        register = Register(session)
        fill(register)
        return register.centres


def listed(ctx: AppContext) -> dict[str, Any]:
    """The audit details of the last list made."""
    with db_sql.connect(ctx) as conn:
        entity, after = conn.execute(
            "SELECT entity_id, after FROM audit_entry WHERE action = 'documents.make_list' ORDER BY id DESC"
        ).fetchone()
    return {"entity": entity, **json.loads(after)}


def make(ctx: AppContext, tmp_path: Path, kind: str, **kwargs: Any) -> dict[str, Any]:
    out = documents.make_list(ctx, kind, tmp_path / f"{kind}.pdf", **kwargs)
    assert out.read_bytes().startswith(b"%PDF")
    return listed(ctx)


def refused(ctx: AppContext, tmp_path: Path, kind: str, **kwargs: Any) -> ServiceError:
    out = tmp_path / "refused.pdf"
    with pytest.raises(ServiceError) as info:
        documents.make_list(ctx, kind, out, **kwargs)
    assert not out.exists()
    return info.value


# --------------------------------------------------------------------------- 认定名单


def two_recognition_years(r: Register) -> None:
    r.centre("甲", steps_in=2025)
    r.centre("乙", steps_in=2025)
    r.centre("丙", steps_in=2024)
    r.centre("丁", steps_in=2024)
    # the 2025 call's recognition is dated January 2026: it belongs to the 2025 list
    r.recognise("甲", on=date(2026, 1, 10), document_no="柳科发〔2026〕1号", call_year=2025)
    r.recognise("乙", on=date(2025, 12, 1), document_no="柳科发〔2025〕30号", call_year=2025)
    # without a call on record: the year of the recognition
    r.recognise("丙", on=date(2024, 11, 1), document_no="柳科发〔2024〕9号", call_year=None)
    r.recognise("丁", on=date(2026, 2, 1), document_no="柳科发〔2026〕2号", call_year=None)


def test_the_recognised_list_is_of_the_call_year(ctx: AppContext, tmp_path: Path) -> None:
    ids = build(ctx, two_recognition_years)
    assert make(ctx, tmp_path, "recognised", year=2025)["center_ids"] == [ids["乙"], ids["甲"]]
    assert make(ctx, tmp_path, "recognised", year=2024)["center_ids"] == [ids["丙"]]
    assert make(ctx, tmp_path, "recognised", year=2026)["center_ids"] == [ids["丁"]]


def test_the_latest_year_with_data_is_the_default(ctx: AppContext, tmp_path: Path) -> None:
    ids = build(ctx, two_recognition_years)
    assert documents.latest_list_year(ctx, "recognised") == 2026
    details = make(ctx, tmp_path, "recognised")
    assert (details["year"], details["entity"], details["center_ids"]) == (
        2026,
        "recognised-2026",
        [ids["丁"]],
    )


def test_a_recognition_batch_is_one_document_number(ctx: AppContext, tmp_path: Path) -> None:
    ids = build(ctx, two_recognition_years)
    details = make(ctx, tmp_path, "recognised", year=2025, batch="柳科发〔2026〕1号")
    assert details["center_ids"] == [ids["甲"]] and details["batch"] == "柳科发〔2026〕1号"
    assert details["entity"] == "recognised-2025-柳科发〔2026〕1号"
    assert details["document_no"] == "柳科发〔2026〕1号"  # the batch's 文号 under the title
    typed = make(
        ctx, tmp_path, "recognised", year=2025, batch="柳科发〔2026〕1号", document_no="柳科发〔2026〕5号"
    )
    assert typed["document_no"] == "柳科发〔2026〕5号"  # the clerk's own 文号 wins
    error = refused(ctx, tmp_path, "recognised", year=2025, batch="柳科发〔2024〕9号")  # a batch of 2024
    assert error.field == "认定批次"
    assert str(error) == (
        "2025 年度没有认定批次“柳科发〔2024〕9号”。该年度的认定批次：柳科发〔2025〕30号、柳科发〔2026〕1号。"
    )


@pytest.mark.parametrize(
    ("year", "has_data"), [(2023, False), (2024, True), (2025, True), (2026, True), (2027, False)]
)
def test_a_year_without_data_is_refused_naming_the_years_with_data(
    ctx: AppContext, tmp_path: Path, year: int, has_data: bool
) -> None:
    build(ctx, two_recognition_years)
    if has_data:
        assert make(ctx, tmp_path, "recognised", year=year)["year"] == year
        return
    error = refused(ctx, tmp_path, "recognised", year=year)
    assert error.field == "年度"
    assert str(error) == (
        f"{year} 年度没有认定记录，无法生成{year}年度认定名单。有记录的年度：2026、2025、2024。"
    )


@pytest.mark.parametrize(("year", "in_range"), [(1989, False), (1990, True), (2100, True), (2101, False)])
def test_the_year_must_be_one_the_bureau_can_mean(
    ctx: AppContext, tmp_path: Path, year: int, in_range: bool
) -> None:
    build(ctx, two_recognition_years)
    error = refused(ctx, tmp_path, "recognised", year=year)
    assert error.field == "年度"
    if in_range:  # a possible year, but without data
        assert str(error).startswith(f"{year} 年度没有认定记录")
    else:
        assert str(error) == f"“年度”应在 1990–2100 之间，收到 {year}。"


def test_an_empty_register_has_no_list_of_any_year(ctx: AppContext, tmp_path: Path) -> None:
    assert documents.list_choices(ctx) == {kind: [] for kind in documents.LIST_KINDS}
    for kind, name in documents.LIST_KINDS.items():
        error = refused(ctx, tmp_path, kind)
        assert error.field == "年度" and str(error).startswith("数据库中还没有任何年度的")
        assert str(error).endswith(f"无法生成{name}。")
        with pytest.raises(ServiceError, match="还没有任何年度"):
            documents.latest_list_year(ctx, kind)


# --------------------------------------------------------------------------- 拟认定名单


def proposals(r: Register) -> None:
    # 2025 call: 甲 and 乙 proposed by the review and put on two notices; 甲 is recognised since
    r.centre("甲", steps_in=2025, notice=(date(2025, 10, 10), "柳科公〔2025〕3号"))
    r.centre("乙", steps_in=2025, notice=(date(2025, 11, 3), None))
    r.centre("否", steps_in=2025, until="under_review")
    add_review_result(
        r.session, r.centres["否"], call_year=2025, decided_on=date(2025, 6, 1), outcome="not_recognised"
    )
    r.recognise("甲", on=date(2025, 12, 1), document_no="柳科发〔2025〕30号", call_year=2025)
    # 丙's step into 拟认定 was entered by hand in 2026, before the 评审 section (no review on record)
    r.entered_by_hand("丙", proposed_on=date(2026, 6, 1))


def test_the_proposed_list_is_of_the_call_year_not_of_todays_states(ctx: AppContext, tmp_path: Path) -> None:
    ids = build(ctx, proposals)
    # 甲 is 已认定 today, but was proposed in the 2025 call; 否 was not proposed
    assert make(ctx, tmp_path, "proposed", year=2025)["center_ids"] == [ids["甲"], ids["乙"]]
    assert make(ctx, tmp_path, "proposed", year=2026)["center_ids"] == [ids["丙"]]
    assert make(ctx, tmp_path, "proposed")["year"] == 2026


def test_a_proposed_batch_is_one_public_notice(ctx: AppContext, tmp_path: Path) -> None:
    ids = build(ctx, proposals)
    first = make(ctx, tmp_path, "proposed", year=2025, batch="柳科公〔2025〕3号")
    assert first["center_ids"] == [ids["甲"]] and first["document_no"] == "柳科公〔2025〕3号"
    second = make(ctx, tmp_path, "proposed", year=2025, batch="2025-11-03")  # no 文号: its first day
    assert second["center_ids"] == [ids["乙"]] and second["document_no"] == ""
    error = refused(ctx, tmp_path, "proposed", year=2026, batch="柳科公〔2025〕3号")
    assert error.field == "公示批次"
    assert str(error) == "2026 年度没有公示批次“柳科公〔2025〕3号”。该年度没有记录任何公示批次。"


def test_the_notice_period_is_said_in_the_introduction(ctx: AppContext, tmp_path: Path) -> None:
    from PySide6.QtPdf import QPdfDocument

    build(ctx, proposals)
    out = documents.make_list(ctx, "proposed", tmp_path / "p.pdf", year=2025, batch="柳科公〔2025〕3号")
    pdf = QPdfDocument()
    pdf.load(str(out))
    text = "".join(pdf.getAllText(0).text().split())
    assert "2025年度拟认定柳州市工程技术研究中心名单" in text and "柳科公〔2025〕3号" in text
    assert "公示期为2025年10月10日至2025年10月30日。" in text
    assert "柳州甲工程技术研究中心" in text and "柳州乙工程技术研究中心" not in text


def test_the_choices_name_every_year_and_batch_with_data(ctx: AppContext) -> None:
    build(ctx, proposals)
    choices = documents.list_choices(ctx)
    assert [(y.year, y.count) for y in choices["proposed"]] == [(2026, 1), (2025, 2)]
    assert choices["proposed"][0].batches == ()
    assert [(b.key, b.label, b.count) for b in choices["proposed"][1].batches] == [
        ("2025-11-03", "公示 2025-11-03 至 2025-11-23（1 个中心）", 1),
        ("柳科公〔2025〕3号", "柳科公〔2025〕3号：公示 2025-10-10 至 2025-10-30（1 个中心）", 1),
    ]
    assert [(y.year, [b.key for b in y.batches]) for y in choices["recognised"]] == [
        (2025, ["柳科发〔2025〕30号"])
    ]
    assert choices["recognised"][0].label == "2025 年度（1 条）"
    assert documents.list_years(ctx, "proposed") == choices["proposed"]
    assert choices["evaluation"] == choices["rectification"] == choices["annual_summary"] == []


# ------------------------------------------------------------------ evaluation, rectification, reports


def evaluations(r: Register) -> None:
    for short in ("甲", "乙", "丙"):
        r.centre(short, steps_in=2019)
        r.recognise(short, on=date(2019, 11, 1), document_no="柳科发〔2019〕1号", call_year=2019)
    for year, grades in (
        (2022, {"甲": "excellent", "乙": "qualified"}),
        (2025, {"乙": "rectify", "丙": "fail"}),
    ):
        rnd = EvaluationRound.model_validate(
            {"year": year, "title": f"{year}年度评估", "started_on": date(year, 3, 1)}
        )
        r.session.add(rnd)
        r.session.flush()
        for short, grade in grades.items():
            evaluation = Evaluation.model_validate(
                {"round_id": rnd.id, "center_id": r.centres[short], "total_score": 70.0, "grade": grade}
            )
            r.session.add(evaluation)
            r.session.flush()
            if grade == "rectify":
                r.session.add(
                    Rectification.model_validate(
                        {
                            "evaluation_id": evaluation.id,
                            "center_id": r.centres[short],
                            "notice_date": date(year, 12, 1),
                            "deadline": date(year + 1, 12, 1),
                        }
                    )
                )
    for year, shorts in ((2023, ["甲"]), (2024, ["甲", "乙", "丙"])):
        for short in shorts:
            r.session.add(
                AnnualReport.model_validate({"center_id": r.centres[short], "year": year, "rd_staff": 12})
            )


def test_evaluation_rectification_and_reports_are_of_their_year(ctx: AppContext, tmp_path: Path) -> None:
    ids = build(ctx, evaluations)
    assert make(ctx, tmp_path, "evaluation")["center_ids"] == [ids["乙"], ids["丙"]]  # 2025, the latest
    assert make(ctx, tmp_path, "evaluation", year=2022)["center_ids"] == [ids["甲"], ids["乙"]]
    assert make(ctx, tmp_path, "rectification", year=2025)["center_ids"] == [ids["乙"]]
    error = refused(ctx, tmp_path, "rectification", year=2022)  # a round without 整改
    assert str(error) == ("2022 年度没有评估结果为整改的中心，无法生成2022年度整改通知。有记录的年度：2025。")
    assert make(ctx, tmp_path, "annual_summary")["center_ids"] == [ids["甲"], ids["乙"], ids["丙"]]
    assert make(ctx, tmp_path, "annual_summary", year=2023)["center_ids"] == [ids["甲"]]


def test_lists_without_batches_refuse_one(ctx: AppContext, tmp_path: Path) -> None:
    build(ctx, evaluations)
    error = refused(ctx, tmp_path, "evaluation", year=2025, batch="第一批")
    assert error.field == "批次"
    assert str(error) == "评估结果不分批次，请不要指定批次（收到“第一批”）。"
    assert make(ctx, tmp_path, "evaluation", year=2025, batch="  ")["batch"] is None  # blank: none


def test_an_unknown_kind_names_the_field(ctx: AppContext, tmp_path: Path) -> None:
    error = refused(ctx, tmp_path, "everything", year=2025)
    assert error.field == "名单类型" and "拟认定名单" in str(error)
    with pytest.raises(ServiceError):
        documents.list_years(ctx, "everything")


def test_every_list_of_the_demo_database(tmp_path: Path) -> None:
    from lzcenter_desktop.services import demo

    context = open_app(str(tmp_path / "demo.sqlite"))
    try:
        demo.build_demo(context, seed=2026)
        choices = documents.list_choices(context)
        for kind in documents.LIST_KINDS:
            assert choices[kind], kind
            details = make(context, tmp_path, kind)
            assert details["year"] == choices[kind][0].year and details["rows"] == choices[kind][0].count
        notice = choices["proposed"][0].batches[0]
        details = make(context, tmp_path, "proposed", batch=notice.key)
        assert details["rows"] == notice.count < choices["proposed"][0].count
    finally:
        context.db.dispose()
