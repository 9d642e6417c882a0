"""Documents agree with the bureau's record (services/documents.py).

* a revoked, forfeited or withdrawn centre gets no new plaque or certificate, with the date, 文号
  and reason of that step; a batch skips it and says so;
* a genuine certificate of such a centre verifies as ``revoked``, not as valid — from the date of
  the step on, not before (a centre recognised again after forfeiting has a valid new certificate);
* every document made from the database writes an audit entry; a free-form certificate is marked
  and audited as not registered and verifies as ``unregistered``;
* control characters are refused naming the field.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from lzcenter_desktop.documents.certificate import UNREGISTERED_NOTE, CertificateSpec
from lzcenter_desktop.documents.verify import make_code
from lzcenter_desktop.services import centers, documents, organizations
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import ServiceError
from tests import db_sql
from tests.consequence_records import step_by_evaluation
from tests.review_records import NOTICE_DAYS, take_step

BATCH = "柳科发〔2026〕12号"
RECOGNISED_ON = date(2026, 8, 1)
EN = "Liuzhou {} Research Center of Engineering Technology"


@pytest.fixture
def ctx(tmp_path: Path):
    context = open_app(str(tmp_path / "d.sqlite"))
    yield context
    context.db.dispose()


def applied(ctx: AppContext, core: str, *, start: date = date(2026, 3, 1)) -> int:
    """A centre walked up to 公示中 (public notice)."""
    host = organizations.create_organization(ctx, name=f"柳州{core}有限公司", kind="enterprise")
    cid = centers.create_center(
        ctx,
        name_zh=f"柳州{core}工程技术研究中心（柳州{core}有限公司）",
        host_id=host,
        on=start,
        industries=["汽车"],
        name_en=EN.format(core),
    )
    to_notice(ctx, cid, start)
    return cid


def to_notice(ctx: AppContext, cid: int, start: date) -> None:
    for state, days in (("submitted", 9), ("under_review", 60), ("proposed", 120), ("public_notice", 125)):
        take_step(ctx, cid, state, start + timedelta(days=days))


def recognised(ctx: AppContext, core: str, cert_no: str | None, *, on: date = RECOGNISED_ON) -> int:
    cid = applied(ctx, core, start=date(on.year, 3, 1))
    centers.recognise(ctx, center_id=cid, on=on, document_no=BATCH, certificate_no=cert_no)
    return cid


def code_of(ctx: AppContext, cid: int) -> str:
    spec = documents.certificate_spec(ctx, cid)
    return make_code(spec.number, spec.center_name, spec.date, documents.bureau_key(ctx))


def document_audit(ctx: AppContext) -> list[tuple[str, str, str, str, dict]]:
    """(action, operation, entity_id, txn, details) of every document audit entry, oldest first."""
    with db_sql.connect(ctx) as conn:
        rows = conn.execute(
            "SELECT action, operation, entity_id, txn, after FROM audit_entry WHERE entity = 'document' "
            "ORDER BY id"
        ).fetchall()
    return [(a, o, e, t, json.loads(after)) for a, o, e, t, after in rows]


def pdf_text(path: Path) -> str:
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    text = "".join(doc.getAllText(i).text() for i in range(doc.pageCount()))
    return text.replace("\r", "").replace("\n", "")


# --------------------------------------------------------------------------- no new documents


@pytest.mark.parametrize(
    ("state", "document_no", "words"),
    [
        ("revoked", "柳科发〔2027〕9号", "已于 2027年3月5日 被撤销（柳科发〔2027〕9号）"),
        (
            "forfeited",
            "柳科发〔2027〕9号",
            "已于 2027年3月5日 视为自动放弃工程技术中心资格（柳科发〔2027〕9号）",
        ),
        ("revoked", None, "已于 2027年3月5日 被撤销，"),  # no 文号 on record: none printed
    ],
)
def test_an_ended_centre_gets_no_new_certificate_or_plaque(
    ctx: AppContext, tmp_path: Path, state: str, document_no: str | None, words: str
) -> None:
    cid = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    step_by_evaluation(ctx, cid, state, date(2027, 3, 5), document_no)
    for make, what in ((documents.certificate_spec, "认定证书"), (documents.plaque_spec, "牌匾")):
        with pytest.raises(ServiceError) as info:
            make(ctx, cid)
        message = str(info.value)
        assert info.value.field == "中心"
        assert f"不能为“柳州汽车轻量化工程技术研究中心（柳州汽车轻量化有限公司）”生成新的{what}" in message
        assert words in message and "记录的原因：" in message and "绩效评估" in message  # with its article
        assert ("（第二十四条（四））。" if state == "revoked" else "（第二十四条（五））。") in message
    before = len(document_audit(ctx))
    for target, call in (
        (tmp_path / "c.pdf", lambda p: documents.make_certificate(ctx, cid, p)),
        (tmp_path / "p.pdf", lambda p: documents.make_plaque(ctx, cid, p)),
    ):
        with pytest.raises(ServiceError, match=words.rstrip("，")):
            call(target)
        assert not target.exists()
    assert len(document_audit(ctx)) == before == 0


def test_a_withdrawn_centre_is_told_it_was_withdrawn_not_that_it_is_unrecognised(ctx: AppContext) -> None:
    cid = applied(ctx, "螺蛳粉")
    centers.change_state(
        ctx, center_id=cid, to_state="withdrawn", on=date(2026, 8, 20), reason="公示期间异议成立"
    )
    with pytest.raises(ServiceError) as info:
        documents.certificate_spec(ctx, cid)
    assert "已于 2026年8月20日 撤回认定" in str(info.value) and "尚未认定" not in str(info.value)
    item = next(c for c in documents.document_centers(ctx) if c.id == cid)
    assert item.blocked and item.state_label == "已撤回" and not item.recognised


def test_rectifying_centres_still_get_documents_and_recognised_ones_are_not_blocked(
    ctx: AppContext, tmp_path: Path
) -> None:
    cid = recognised(ctx, "智能装备", "LZGC-2026-002")
    assert not next(c for c in documents.document_centers(ctx) if c.id == cid).blocked
    step_by_evaluation(ctx, cid, "rectifying", date(2027, 1, 10))
    assert documents.make_certificate(ctx, cid, tmp_path / "c.pdf").is_file()
    assert documents.make_plaque(ctx, cid, tmp_path / "p.pdf").is_file()


def test_a_revoked_centre_that_applies_again_gets_nothing_until_recognised_again(ctx: AppContext) -> None:
    cid = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    step_by_evaluation(ctx, cid, "revoked", date(2027, 3, 5), "柳科发〔2027〕9号")
    centers.change_state(ctx, center_id=cid, to_state="draft", on=date(2029, 3, 5), reason="重新申请")
    item = next(c for c in documents.document_centers(ctx) if c.id == cid)
    assert item.state == "draft" and item.recognised  # the old recognition is still on record …
    assert item.ending is not None and item.ending.state == "revoked"  # … but it was revoked
    with pytest.raises(ServiceError, match="已于 2027年3月5日 被撤销（柳科发〔2027〕9号）"):
        documents.certificate_spec(ctx, cid)


# --------------------------------------------------------------------------- batches


def test_a_batch_skips_ended_centres_and_reports_them(ctx: AppContext, tmp_path: Path) -> None:
    a = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    b = recognised(ctx, "智能装备", None)  # lacks a number, but is revoked: skipped, not "lacking"
    c = recognised(ctx, "螺蛳粉", "LZGC-2026-003")
    step_by_evaluation(ctx, b, "revoked", date(2027, 3, 5), "柳科发〔2027〕9号")
    step_by_evaluation(ctx, c, "forfeited", date(2027, 3, 6))
    result = documents.make_certificate_batch(ctx, tmp_path / "out", document_no=BATCH)
    assert [f.name for f in result.files] == ["LZGC-2026-001.pdf"]
    assert [(r.center_id, r.ending.state) for r in result.skipped] == [(b, "revoked"), (c, "forfeited")]
    text = result.skipped_text()
    assert text.startswith("已跳过 2 个不再持有称号的中心")
    assert (
        "已于 2027年3月5日 被撤销（柳科发〔2027〕9号）" in text and "已于 2027年3月6日 视为自动放弃" in text
    )
    assert [e[2] for e in document_audit(ctx)] == [str(a)]  # only what was written is recorded


def test_a_batch_of_only_ended_centres_is_refused_listing_them(ctx: AppContext, tmp_path: Path) -> None:
    a = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    step_by_evaluation(ctx, a, "revoked", date(2027, 3, 5))
    with pytest.raises(ServiceError) as info:
        documents.make_certificate_batch(ctx, tmp_path / "out", document_no=BATCH)
    assert "1 个中心都已不持有" in str(info.value) and "被撤销" in str(info.value)
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- verification


def test_a_revoked_centres_old_certificate_verifies_as_revoked(ctx: AppContext) -> None:
    cid = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    code = code_of(ctx, cid)
    assert documents.verify_certificate(ctx, code).status == "genuine"
    step_by_evaluation(ctx, cid, "revoked", date(2027, 3, 5), "柳科发〔2027〕9号")
    result = documents.verify_certificate(ctx, code)
    assert not result.genuine and result.status == "revoked"
    assert result.message.startswith("证书真实，但该中心已于 2027年3月5日 被撤销（柳科发〔2027〕9号）")
    assert "LZGC-2026-001" in result.message and "真实有效" not in result.message
    # a forged code of the same centre is still forged, not "revoked"
    assert documents.verify_certificate(ctx, code[:-1] + ("A" if code[-1] != "A" else "B")).status == "forged"


def test_the_ending_counts_from_the_date_on_the_certificate(ctx: AppContext) -> None:
    """A centre that forfeited and was recognised again: the old certificate (recognised before the
    step) is revoked, the new one (recognised after the step, once its new 公示 ended) is genuine; a
    step on the very day of a recognition ends it."""
    cid = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    old = code_of(ctx, cid)
    forfeited_on = date(2027, 3, 5)
    step_by_evaluation(ctx, cid, "forfeited", forfeited_on)
    for state in ("draft", "submitted", "under_review", "proposed", "public_notice"):
        take_step(ctx, cid, state, forfeited_on, reason="重新申请")
    again = forfeited_on + timedelta(days=NOTICE_DAYS + 1)  # the day after the 公示 ended
    centers.recognise(
        ctx, center_id=cid, on=again, document_no="柳科发〔2027〕10号", certificate_no="LZGC-2027-001"
    )
    new = code_of(ctx, cid)
    assert documents.certificate_spec(ctx, cid).number == "LZGC-2027-001"  # may be issued again
    old_result = documents.verify_certificate(ctx, old)
    assert (
        old_result.status == "revoked"
        and "已于 2027年3月5日 视为自动放弃工程技术中心资格" in old_result.message
    )
    assert documents.verify_certificate(ctx, new).status == "genuine"

    same_day = recognised(ctx, "螺蛳粉", "LZGC-2026-003")
    code = code_of(ctx, same_day)
    step_by_evaluation(ctx, same_day, "revoked", RECOGNISED_ON)
    assert documents.verify_certificate(ctx, code).status == "revoked"  # exactly at the bound


def test_the_ending_phrases() -> None:
    on = date(2025, 12, 15)
    assert (
        documents.Ending("revoked", on, "柳科发〔2025〕88号").phrase()
        == "已于 2025年12月15日 被撤销（柳科发〔2025〕88号）"
    )
    assert (
        documents.Ending("forfeited", on, None).phrase() == "已于 2025年12月15日 视为自动放弃工程技术中心资格"
    )
    assert documents.Ending("withdrawn", on, "X号").phrase() == "已于 2025年12月15日 撤回认定（X号）"
    assert documents.Ending("revoked", None, None).phrase() == "已被撤销"
    assert documents.Ending("draft", on, None).phrase() == "当前状态为“草稿”（自 2025年12月15日 起）"


# --------------------------------------------------------------------------- audit entries


def test_documents_from_the_database_are_recorded(ctx: AppContext, tmp_path: Path) -> None:
    cid = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    cert = documents.make_certificate(ctx, cid, tmp_path / "c.pdf")
    plaque = documents.make_plaque(ctx, cid, tmp_path / "p.pdf", width_mm=400, height_mm=300)
    listing = documents.make_list(
        ctx, "recognised", tmp_path / "l.pdf", year=2026, document_no="柳科发〔2026〕30号"
    )
    entries = document_audit(ctx)
    assert [(a, o, e) for a, o, e, _, _ in entries] == [
        ("documents.make_certificate", "issue", str(cid)),
        ("documents.make_plaque", "issue", str(cid)),
        ("documents.make_list", "issue", "recognised-2026"),
    ]
    c, p, lst = (e[4] for e in entries)
    code = code_of(ctx, cid)
    assert code in pdf_text(cert)
    assert c["code"] == code and c["certificate_no"] == "LZGC-2026-001" and c["center_id"] == cid
    assert c["center_name"].startswith("柳州汽车轻量化") and c["registered"] is True
    assert c["document"] == "认定证书" and c["file"] == str(cert) and c["recognition_doc_no"] == BATCH
    assert p["document"] == "牌匾" and p["size_mm"] == "400×300" and p["file"] == str(plaque)
    assert p["certificate_no"] == "LZGC-2026-001" and p["center_id"] == cid
    assert lst["center_ids"] == [cid] and lst["rows"] == 1 and lst["document_no"] == "柳科发〔2026〕30号"
    assert lst["file"] == str(listing) and lst["document"] == "认定名单"


def test_a_batch_records_each_certificate_in_one_transaction(ctx: AppContext, tmp_path: Path) -> None:
    a = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    b = recognised(ctx, "智能装备", "LZGC-2026-002")
    documents.make_certificate_batch(ctx, tmp_path / "all.pdf", document_no=BATCH)
    entries = document_audit(ctx)
    assert [e[2] for e in entries] == [str(a), str(b)] and len({e[3] for e in entries}) == 1
    assert [e[4]["certificate_no"] for e in entries] == ["LZGC-2026-001", "LZGC-2026-002"]
    assert all(e[4]["file"] == str(tmp_path / "all.pdf") and e[4]["batch"] == BATCH for e in entries)
    assert entries[0][4]["code"] == code_of(ctx, a)


def test_a_document_whose_record_cannot_be_written_is_not_kept(
    ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import contextlib

    cid = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    documents.bureau_key(ctx)

    @contextlib.contextmanager
    def read_only(*_args: object, **_kwargs: object):  # type: ignore[no-untyped-def]
        raise ServiceError("数据库是只读的")
        yield

    from lzcenter_desktop.services import documents_audit

    monkeypatch.setattr(documents_audit, "unit_of_work", read_only)
    out = tmp_path / "c.pdf"
    with pytest.raises(ServiceError, match="只读"):
        documents.make_certificate(ctx, cid, out)
    assert not out.exists()


def test_a_cancelled_batch_records_nothing(ctx: AppContext, tmp_path: Path) -> None:
    recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    recognised(ctx, "智能装备", "LZGC-2026-002")
    result = documents.make_certificate_batch(
        ctx, tmp_path / "x", document_no=BATCH, progress=lambda d, t: False
    )
    assert result.cancelled and document_audit(ctx) == []


# --------------------------------------------------------------------------- free-form certificates


def free(number: str = "LZGC-2026-077", name: str = "柳州光学工程技术研究中心（某公司）") -> CertificateSpec:
    return CertificateSpec(number, name, "某公司", "柳州市科学技术局认定", date(2026, 11, 26))


def test_a_free_form_certificate_is_marked_recorded_and_verifies_as_unregistered(
    ctx: AppContext, tmp_path: Path
) -> None:
    spec = free()
    out = documents.write_certificate(ctx, spec, tmp_path / "f.pdf")
    text = pdf_text(out)
    assert UNREGISTERED_NOTE in text
    code = make_code(spec.number, spec.center_name, spec.date, documents.bureau_key(ctx))
    assert code in text
    [(action, _, entity_id, _, details)] = document_audit(ctx)
    assert action == "documents.write_certificate" and entity_id == "未登记:LZGC-2026-077"
    assert details["registered"] is False and details["center_id"] is None and details["code"] == code
    typed = documents.verify_certificate(ctx, code, name=spec.center_name, number=spec.number)
    assert not typed.genuine and typed.status == "unregistered"
    assert "未登记" in typed.message and "真实有效" not in typed.message
    assert documents.verify_certificate(ctx, code).status == "unknown"  # the code alone: not registered


def test_a_free_form_certificate_may_not_take_a_registered_number(ctx: AppContext, tmp_path: Path) -> None:
    cid = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    out = tmp_path / "f.pdf"
    with pytest.raises(ServiceError) as info:
        documents.write_certificate(ctx, free("LZGC-2026-001"), out)
    assert info.value.field == "证书编号" and f"--center {cid}" in str(info.value)
    assert not out.exists() and document_audit(ctx) == []


def test_a_version_1_code_with_a_typed_name_of_an_unregistered_number_is_unregistered(
    ctx: AppContext,
) -> None:
    from lzcenter_desktop.documents.verify import make_code_v1

    recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    key = documents.bureau_key(ctx)
    code = make_code_v1("LZGC-2026-099", "柳州光学工程技术研究中心", date(2026, 8, 1), key)
    result = documents.verify_certificate(ctx, code, name="柳州光学工程技术研究中心")
    assert result.status == "unregistered" and not result.genuine


# --------------------------------------------------------------------------- control characters


def test_a_bell_in_a_free_form_name_is_refused_naming_the_field(ctx: AppContext, tmp_path: Path) -> None:
    out = tmp_path / "f.pdf"
    with pytest.raises(ServiceError, match="“中心名称”含有不可见的控制字符 U\\+0007"):
        documents.write_certificate(ctx, free(name="柳州光学\x07工程技术研究中心"), out)
    assert not out.exists() and document_audit(ctx) == []


def test_a_bell_in_a_registered_name_is_refused_not_drawn(ctx: AppContext, tmp_path: Path) -> None:
    cid = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    with db_sql.connect(ctx) as conn:  # as an old import may have left it
        conn.execute("UPDATE center SET name_zh = '柳州汽车\a轻量化工程技术研究中心' WHERE id = ?", (cid,))
    for call, target in (
        (documents.make_plaque, tmp_path / "p.pdf"),
        (documents.make_certificate, tmp_path / "c.pdf"),
    ):
        with pytest.raises(ServiceError) as info:
            call(ctx, cid, target)
        assert "“中心名称”含有不可见的控制字符 U+0007" in str(info.value) and "“中心”页" in str(info.value)
        assert not target.exists()
