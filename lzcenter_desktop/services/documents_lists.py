"""The bureau's lists of one year: 拟认定名单, 认定名单, 评估结果, 整改通知, 年度报告汇总.

Each list is of the year it is for — the call year of the 申报 (拟认定, 认定), the year of the
evaluation round (评估结果, 整改通知) or of the annual reports — never of what the register holds
today, and, where the bureau publishes a year's list in parts, of one batch:

* 拟认定名单 of call year *Y*: the centres whose declaration of the *Y* call the review proposed
  (评审结果“拟认定”), or that are on a 公示 of the *Y* call; a centre with neither on record (its
  steps entered by hand) counts for the year in which it stepped into 拟认定.  A batch is one 公示
  (its 文号, or without one its first day ``YYYY-MM-DD``): the centres on that notice.
* 认定名单 of *Y*: the recognitions of the *Y* call (without a call on record: recognised in *Y*).
  A batch is one 认定文号.
* 评估结果, 整改通知: the evaluation round of *Y*; 年度报告汇总: the annual reports of *Y*.

:func:`list_choices` gives, for every kind, the years that have data (newest first) and their
batches — what the 文档 page offers; without a year, :func:`make_list` takes the latest of them.
A year or batch without data is refused with a Chinese message that names the years (or batches)
that have some.  Part of :mod:`lzcenter_desktop.services.documents`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from lzcenter_desktop.documents.fonts import MissingGlyphError
from lzcenter_desktop.services import output
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.documents_audit import record_documents
from lzcenter_desktop.services.documents_register import chinese_date
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.labels import GRADE_LABELS, HOST_ASSESSMENT_LABELS, label_of
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import (
    AnnualCall,
    AnnualReport,
    Center,
    CenterStateChange,
    Declaration,
    Evaluation,
    EvaluationRound,
    Organization,
    PublicNotice,
    PublicNoticeItem,
    Recognition,
    Rectification,
    ReviewResult,
)

#: kind → Chinese name, the lists :func:`make_list` can make.
LIST_KINDS: Final[dict[str, str]] = {
    "proposed": "拟认定名单",
    "recognised": "认定名单",
    "evaluation": "评估结果",
    "rectification": "整改通知",
    "annual_summary": "年度报告汇总",
}

#: kind → what one of its batches is called (the kinds that have batches).
BATCH_NAMES: Final[dict[str, str]] = {"proposed": "公示批次", "recognised": "认定批次"}

#: kind → the records a year of the list is made of (for "<year> 年度没有 …").
_DATA_NAMES: Final[dict[str, str]] = {
    "proposed": "拟认定的中心（评审结果为拟认定、列入公示，或进入“拟认定”状态的中心）",
    "recognised": "认定记录",
    "evaluation": "绩效评估结果",
    "rectification": "评估结果为整改的中心",
    "annual_summary": "年度报告",
}

YEAR_RANGE: Final = (1990, 2100)

Column = tuple[str, float, str]  # title, relative width, alignment


@dataclass(frozen=True, slots=True)
class ListBatch:
    """One batch of a year's list: a 公示 (拟认定名单) or a 认定文号 (认定名单).

    ``key`` is what selects it (``make_list(batch=…)``, the CLI's ``--batch``): the 文号, or for a
    公示 without one its first day ``YYYY-MM-DD``; ``document_no`` is its own 文号 (printed under
    the title when the clerk gives none); ``note`` is said in the list's introduction."""

    key: str
    label: str
    count: int
    document_no: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class ListYear:
    """A year that has data for a list: how many rows its list has, and its batches (by key)."""

    year: int
    count: int
    batches: tuple[ListBatch, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.year} 年度（{self.count} 条）"


@dataclass(frozen=True, slots=True)
class _Entry:
    """One row of a list before it is worded: the year it belongs to, the batches it is in, its
    centre, how it sorts, and the kind's own values."""

    year: int
    center_id: int
    order: tuple[Any, ...]
    values: tuple[Any, ...] = ()
    batches: frozenset[str] = field(default_factory=frozenset)


Reader = Callable[[Session], tuple[list[_Entry], dict[str, ListBatch]]]


# --------------------------------------------------------------------------- reading, per kind


def _call_years(session: Session) -> dict[int, int]:
    return {
        int(i): int(y) for i, y in session.execute(select(col(AnnualCall.id), col(AnnualCall.year))).all()
    }


def _notice_key(document_no: str | None, published_on: date) -> str:
    return document_no.strip() if document_no and document_no.strip() else published_on.isoformat()


def _proposed(session: Session) -> tuple[list[_Entry], dict[str, ListBatch]]:
    calls = _call_years(session)
    found: dict[tuple[int, int], set[str]] = {}  # (year, centre) → the notices it is on
    reviewed = session.execute(
        select(col(Declaration.center_id), col(Declaration.call_id))
        .join(ReviewResult, col(ReviewResult.declaration_id) == col(Declaration.id))
        .where(col(ReviewResult.outcome) == "proposed", col(Declaration.center_id).is_not(None))
    ).all()
    for center_id, call_id in reviewed:
        if call_id in calls:
            found.setdefault((calls[call_id], int(center_id)), set())
    notices = session.execute(
        sa_select(
            col(PublicNoticeItem.center_id),
            col(PublicNotice.call_id),
            col(PublicNotice.document_no),
            col(PublicNotice.published_on),
            col(PublicNotice.ends_on),
        ).join(PublicNotice, col(PublicNotice.id) == col(PublicNoticeItem.notice_id))
    ).all()
    described: dict[str, tuple[str | None, date, date]] = {}
    for center_id, call_id, document_no, published_on, ends_on in notices:
        if call_id not in calls:
            continue
        key = _notice_key(document_no, published_on)
        described.setdefault(key, (document_no, published_on, ends_on))
        found.setdefault((calls[call_id], int(center_id)), set()).add(key)
    on_record = {cid for _, cid in found}
    stepped = session.execute(
        select(col(CenterStateChange.center_id), col(CenterStateChange.changed_on)).where(
            col(CenterStateChange.to_state) == "proposed"
        )
    ).all()
    for center_id, changed_on in stepped:
        if int(center_id) not in on_record:  # steps entered by hand: the year of the step
            found.setdefault((changed_on.year, int(center_id)), set())
    entries = [
        _Entry(year, cid, (cid,), batches=frozenset(keys)) for (year, cid), keys in sorted(found.items())
    ]
    counts = _batch_counts(entries)
    batches = {
        key: ListBatch(
            key,
            f"{doc_no.strip() + '：' if doc_no and doc_no.strip() else ''}"
            f"公示 {start.isoformat()} 至 {end.isoformat()}（{counts.get(key, 0)} 个中心）",
            counts.get(key, 0),
            doc_no.strip() if doc_no and doc_no.strip() else None,
            f"公示期为{chinese_date(start)}至{chinese_date(end)}。",
        )
        for key, (doc_no, start, end) in described.items()
    }
    return entries, batches


def _recognised(session: Session) -> tuple[list[_Entry], dict[str, ListBatch]]:
    calls = _call_years(session)
    rows = session.execute(
        sa_select(
            col(Recognition.id),
            col(Recognition.center_id),
            col(Recognition.call_id),
            col(Recognition.recognized_on),
            col(Recognition.document_no),
            col(Recognition.certificate_no),
        )
    ).all()
    entries: list[_Entry] = []
    first_day: dict[str, date] = {}
    for rid, center_id, call_id, on, document_no, certificate_no in rows:
        year = calls.get(call_id, on.year) if call_id is not None else on.year
        entries.append(
            _Entry(
                year, int(center_id), (on, rid), (certificate_no or "", document_no), frozenset({document_no})
            )
        )
        first_day[document_no] = min(on, first_day.get(document_no, on))
    counts = _batch_counts(entries)
    batches = {
        key: ListBatch(key, f"{key}（{day.isoformat()}，{counts[key]} 个中心）", counts[key], key)
        for key, day in first_day.items()
    }
    return entries, batches


def _evaluations(session: Session) -> list[tuple[int, int, int, float | None, str | None]]:
    """(evaluation id, round year, centre, total score, grade) of every evaluation."""
    rows = session.execute(
        sa_select(
            col(Evaluation.id),
            col(EvaluationRound.year),
            col(Evaluation.center_id),
            col(Evaluation.total_score),
            col(Evaluation.grade),
        ).join(EvaluationRound, col(EvaluationRound.id) == col(Evaluation.round_id))
    ).all()
    return [(int(i), int(y), int(c), s, g) for i, y, c, s, g in rows]


def _evaluation(session: Session) -> tuple[list[_Entry], dict[str, ListBatch]]:
    return [
        _Entry(year, cid, (eid,), (score, grade)) for eid, year, cid, score, grade in _evaluations(session)
    ], {}


def _rectification(session: Session) -> tuple[list[_Entry], dict[str, ListBatch]]:
    year_of = {eid: year for eid, year, *_ in _evaluations(session)}
    rows = session.execute(
        select(
            col(Rectification.id),
            col(Rectification.evaluation_id),
            col(Rectification.center_id),
            col(Rectification.deadline),
        )
    ).all()
    entries = [
        _Entry(year_of[eid], int(cid), (rid,), (deadline,))
        for rid, eid, cid, deadline in rows
        if eid in year_of
    ]
    return entries, {}


def _annual_summary(session: Session) -> tuple[list[_Entry], dict[str, ListBatch]]:
    rows = session.execute(
        sa_select(
            col(AnnualReport.year),
            col(AnnualReport.center_id),
            col(AnnualReport.host_assessment),
            col(AnnualReport.rd_staff),
            col(AnnualReport.rd_investment_yuan),
            col(AnnualReport.projects),
            col(AnnualReport.patents_granted),
            col(AnnualReport.standards),
        )
    ).all()
    return [_Entry(int(r[0]), int(r[1]), (int(r[1]),), tuple(r[2:])) for r in rows], {}


_READERS: Final[dict[str, Reader]] = {
    "proposed": _proposed,
    "recognised": _recognised,
    "evaluation": _evaluation,
    "rectification": _rectification,
    "annual_summary": _annual_summary,
}


def _batch_counts(entries: Iterable[_Entry]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in entries:
        for key in entry.batches:
            counts[key] = counts.get(key, 0) + 1
    return counts


def _reader(kind: str) -> Reader:
    reader = _READERS.get(kind)
    if reader is None:
        known = "、".join(f"{k}（{v}）" for k, v in LIST_KINDS.items())
        raise ServiceError(f"不认识的名单类型“{kind}”，可用：{known}。", field="名单类型")
    return reader


def _years(entries: Sequence[_Entry], batches: dict[str, ListBatch]) -> list[ListYear]:
    by_year: dict[int, list[_Entry]] = {}
    for entry in entries:
        by_year.setdefault(entry.year, []).append(entry)
    out: list[ListYear] = []
    for year in sorted(by_year, reverse=True):
        keys = sorted({k for e in by_year[year] for k in e.batches})
        in_year = _batch_counts(by_year[year])
        chosen = [batches[k] for k in keys if k in batches]
        out.append(ListYear(year, len(by_year[year]), tuple(b for b in chosen if in_year.get(b.key))))
    return out


# --------------------------------------------------------------------------- choosing a year


def list_years(ctx: AppContext, kind: str) -> list[ListYear]:
    """The years that have data for the list ``kind``, newest first, each with its batches."""
    reader = _reader(kind)
    with reading(ctx) as session:
        return _years(*reader(session))


def list_choices(ctx: AppContext) -> dict[str, list[ListYear]]:
    """For every kind of list (:data:`LIST_KINDS`), the years that have data, newest first (one
    read; what the 文档 page offers)."""
    with reading(ctx) as session:
        return {kind: _years(*reader(session)) for kind, reader in _READERS.items()}


def _no_data(kind: str) -> ServiceError:
    return ServiceError(
        f"数据库中还没有任何年度的{_DATA_NAMES[kind]}，无法生成{LIST_KINDS[kind]}。", field="年度"
    )


def latest_list_year(ctx: AppContext, kind: str) -> int:
    """The latest year that has data for the list ``kind``; :class:`ServiceError` if none has."""
    years = list_years(ctx, kind)
    if not years:
        raise _no_data(kind)
    return years[0].year


def _check_year(year: int) -> None:
    low, high = YEAR_RANGE
    if not low <= year <= high:
        raise ServiceError(f"“年度”应在 {low}–{high} 之间，收到 {year}。", field="年度")


def _select(
    kind: str, entries: list[_Entry], batches: dict[str, ListBatch], year: int | None, batch: str | None
) -> tuple[int, ListBatch | None, list[_Entry]]:
    """The year (the latest with data when ``None``), the batch and the entries of the list."""
    years = _years(entries, batches)
    if year is None:
        if not years:
            raise _no_data(kind)
        year = years[0].year
    _check_year(year)
    chosen = [e for e in entries if e.year == year]
    if not chosen:
        have = "、".join(str(y.year) for y in years)
        hint = f"有记录的年度：{have}。" if have else "数据库中还没有任何年度的此类记录。"
        raise ServiceError(
            f"{year} 年度没有{_DATA_NAMES[kind]}，无法生成{year}年度{LIST_KINDS[kind]}。{hint}", field="年度"
        )
    batch = (batch or "").strip() or None
    if batch is None:
        return year, None, chosen
    name = BATCH_NAMES.get(kind)
    if name is None:
        raise ServiceError(f"{LIST_KINDS[kind]}不分批次，请不要指定批次（收到“{batch}”）。", field="批次")
    in_year = next(y for y in years if y.year == year).batches
    found = next((b for b in in_year if b.key == batch), None)
    if found is None:
        have = "、".join(b.key for b in in_year)
        hint = f"该年度的{name}：{have}。" if have else f"该年度没有记录任何{name}。"
        raise ServiceError(f"{year} 年度没有{name}“{batch}”。{hint}", field=name)
    return year, found, [e for e in chosen if batch in e.batches]


# --------------------------------------------------------------------------- wording


def _names(session: Session) -> dict[int, tuple[str, str]]:
    rows = session.execute(
        select(col(Center.id), col(Center.name_zh), col(Organization.name)).join(
            Organization, col(Organization.id) == col(Center.host_id)
        )
    ).all()
    return {int(i): (str(n), str(h)) for i, n, h in rows}


def _content(
    kind: str, year: int, entries: list[_Entry], names: dict[int, tuple[str, str]], note: str
) -> tuple[str, list[Column], list[list[str]], str]:
    """(title, columns, rows, intro) of a list."""

    def name(cid: int) -> str:
        return names.get(cid, (f"（中心 {cid}）", ""))[0]

    def host(cid: int) -> str:
        return names.get(cid, ("", ""))[1]

    def num(v: int | None) -> str:
        return "" if v is None else str(v)

    base: list[Column] = [("序号", 0.6, "center"), ("中心名称", 3.0, "left"), ("依托单位", 2.2, "left")]
    ordered = sorted(entries, key=lambda e: e.order)
    numbered = list(enumerate(ordered, 1))
    if kind == "proposed":
        intro = "经专家评审和现场考察，拟认定以下中心为柳州市工程技术研究中心，现予公示。" + note
        rows = [[str(i), name(e.center_id), host(e.center_id)] for i, e in numbered]
        return f"{year}年度拟认定柳州市工程技术研究中心名单", base, rows, intro
    if kind == "recognised":
        rows = [[str(i), name(e.center_id), host(e.center_id), *e.values] for i, e in numbered]
        columns = [*base, ("证书编号", 1.6, "center"), ("认定文号", 1.6, "center")]
        return f"{year}年度柳州市工程技术研究中心认定名单", columns, rows, ""
    if kind == "evaluation":
        rows = [
            [
                str(i),
                name(e.center_id),
                host(e.center_id),
                "" if e.values[0] is None else f"{e.values[0]:.1f}",
                label_of(GRADE_LABELS, e.values[1]),
            ]
            for i, e in numbered
        ]
        columns = [*base, ("总分", 0.8, "right"), ("评估结果", 1.0, "center")]
        return f"{year}年度柳州市工程技术研究中心评估结果", columns, rows, ""
    if kind == "rectification":
        rows = [[str(i), name(e.center_id), host(e.center_id), e.values[0].isoformat()] for i, e in numbered]
        return (
            f"关于{year}年度评估结果为整改的柳州市工程技术研究中心限期整改的通知",
            [*base, ("整改期限", 1.2, "center")],
            rows,
            "根据《柳州市工程技术研究中心管理办法》第二十四条，下列中心评估结果为整改，"
            "请于整改期限内完成整改并提出验收申请。",
        )
    rows = []
    for i, e in numbered:
        assessment, staff, investment, projects, patents, standards = e.values
        rows.append(
            [
                str(i),
                name(e.center_id),
                label_of(HOST_ASSESSMENT_LABELS, assessment),
                num(staff),
                "" if investment is None else f"{investment / 10000:.1f}",
                num(projects),
                num(patents),
                num(standards),
            ]
        )
    columns = [
        ("序号", 0.6, "center"),
        ("中心名称", 3.2, "left"),
        ("依托单位考核", 1.1, "center"),
        ("研发人员", 0.9, "right"),
        ("研发投入（万元）", 1.2, "right"),
        ("项目", 0.7, "right"),
        ("授权专利", 0.9, "right"),
        ("标准", 0.7, "right"),
    ]
    return f"{year}年度柳州市工程技术研究中心年度报告汇总", columns, rows, ""


def make_list(
    ctx: AppContext,
    kind: str,
    path: Path,
    *,
    year: int | None = None,
    batch: str | None = None,
    document_no: str = "",
    signed_on: date | None = None,
) -> Path:
    """Write the list ``kind`` (see :data:`LIST_KINDS`) of ``year`` — the latest year that has data
    when ``None`` — and, for 拟认定名单 and 认定名单, of one ``batch`` (a :attr:`ListBatch.key`) or
    of all; with its audit entry (the centres listed, by id).

    The 文号 under the title is ``document_no``, else the batch's own 文号.  A kind, year or batch
    without data is refused (:class:`ServiceError` naming 名单类型, 年度 or the batch), before
    anything is written."""
    from lzcenter_desktop.documents.lists import ColumnSpec, render_list

    reader = _reader(kind)
    if year is not None:
        _check_year(year)
    with reading(ctx) as session:
        entries, batches = reader(session)
        year, chosen_batch, chosen = _select(kind, entries, batches, year, batch)
        names = _names(session)
    note = chosen_batch.note if chosen_batch is not None else ""
    title, columns, rows, intro = _content(kind, year, chosen, names, note)
    own_no = chosen_batch.document_no if chosen_batch is not None else None
    printed_no = document_no.strip() or own_no or ""
    try:
        with output.writing(path) as tmp:
            render_list(
                kind,
                title,
                [ColumnSpec(t, w, a) for t, w, a in columns],  # type: ignore[arg-type]
                rows,
                tmp,
                document_no=printed_no,
                intro=intro,
                date=signed_on,
                landscape=len(columns) > 4 or kind == "annual_summary",
            )
        written = Path(path)
    except MissingGlyphError:
        raise
    except ValueError as exc:
        raise ServiceError(str(exc)) from exc
    center_ids = [e.center_id for e in sorted(chosen, key=lambda e: e.order)]
    details = {
        "document": LIST_KINDS[kind],
        "registered": True,
        "kind": kind,
        "year": year,
        "batch": chosen_batch.key if chosen_batch is not None else None,
        "title": title,
        "document_no": printed_no,
        "signed_on": signed_on.isoformat() if signed_on is not None else None,
        "center_ids": center_ids,
        "rows": len(rows),
        "file": str(written),
    }
    entity = f"{kind}-{year}" + (f"-{chosen_batch.key}" if chosen_batch is not None else "")
    record_documents(ctx, "documents.make_list", [(entity, details)], [written])
    return written
