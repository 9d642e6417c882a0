"""services/documents.py: specs from the register, the bureau key, batches, lists, verification."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lzcenter_desktop.documents.fonts import MissingGlyphError
from lzcenter_desktop.documents.verify import make_code
from lzcenter_desktop.services import centers, documents, organizations
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import NotFound, ServiceError
from tests import db_backend, db_sql
from tests.review_records import take_steps

BATCH = "柳科发〔2026〕12号"
EN = "Liuzhou {} Research Center of Engineering Technology"


@pytest.fixture
def ctx(tmp_path: Path):
    context = open_app(str(tmp_path / "d.sqlite"))
    yield context
    context.db.dispose()


def recognised(
    ctx: AppContext,
    core: str,
    cert_no: str | None,
    *,
    doc_no: str = BATCH,
    en: str | None = None,
    on: date = date(2026, 8, 1),
) -> int:
    host = organizations.create_organization(ctx, name=f"柳州{core}有限公司", kind="enterprise")
    cid = centers.create_center(
        ctx,
        name_zh=f"柳州{core}工程技术研究中心（柳州{core}有限公司）",
        host_id=host,
        on=date(on.year, 3, 1),
        industries=["汽车"],
        name_en=EN.format(core) if en is None else en,
    )
    take_steps(
        ctx,
        cid,
        [
            ("submitted", date(on.year, 3, 10)),
            ("under_review", date(on.year, 5, 1)),
            ("proposed", date(on.year, 7, 1)),
            ("public_notice", date(on.year, 7, 5)),
        ],
    )
    centers.recognise(ctx, center_id=cid, on=on, document_no=doc_no, certificate_no=cert_no)
    return cid


def audit_rows(ctx: AppContext, entity: str) -> list[tuple[str, str]]:
    with db_sql.connect(ctx) as conn:
        return conn.execute("SELECT action, after FROM audit_entry WHERE entity = ?", (entity,)).fetchall()


def test_the_key_is_made_once_kept_off_the_database_and_its_audit_entries_hide_it(
    ctx: AppContext, tmp_path: Path
) -> None:
    assert audit_rows(ctx, "bureau_secret") == []
    key = documents.bureau_key(ctx)
    assert len(key) == 32
    assert documents.bureau_key(ctx) == key
    ctx.db.dispose()
    reopened = open_app(str(tmp_path / "d.sqlite"))
    try:
        assert documents.bureau_key(reopened) == key
        rows = audit_rows(reopened, "bureau_secret")
    finally:
        reopened.db.dispose()
    # the key ring's id and key K1's fingerprint are recorded (one unit of work), never the key
    assert [action for action, _ in rows] == ["documents.create_key"] * 2
    assert all(key.hex() not in after for _, after in rows)
    with db_backend.connect(tmp_path / "d.sqlite") as conn:  # the database keeps no copy of it
        assert all(key not in bytes(v) for (v,) in conn.execute("SELECT value FROM bureau_secret"))
    if not db_backend.ON_POSTGRESQL:  # nor anywhere in the file
        assert key not in (tmp_path / "d.sqlite").read_bytes()


def test_a_damaged_key_left_in_an_older_database_is_refused_naming_it(ctx: AppContext) -> None:
    with db_sql.connect(ctx) as conn:
        conn.execute(
            "INSERT INTO bureau_secret (name, value, created_at) "
            "VALUES ('certificate_hmac', ?, '2026-01-01 00:00:00')",
            (bytes(15),),
        )
    with pytest.raises(ServiceError, match="证书验证密钥"):
        documents.bureau_key(ctx)


def test_specs_come_from_the_latest_recognition(ctx: AppContext) -> None:
    cid = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    cert = documents.certificate_spec(ctx, cid)
    assert (cert.number, cert.host_name, cert.recognition_doc_no, cert.date) == (
        "LZGC-2026-001",
        "柳州汽车轻量化有限公司",
        BATCH,
        date(2026, 8, 1),
    )
    assert cert.center_name == "柳州汽车轻量化工程技术研究中心（柳州汽车轻量化有限公司）"
    plaque = documents.plaque_spec(ctx, cid, width_mm=400, height_mm=300, bleed=True)
    assert (plaque.width_mm, plaque.height_mm, plaque.bleed, plaque.date) == (
        400,
        300,
        True,
        date(2026, 8, 1),
    )
    assert plaque.name_en == EN.format("汽车轻量化")


def test_an_unrecognised_centre_gets_no_documents(ctx: AppContext) -> None:
    host = organizations.create_organization(ctx, name="柳州某公司", kind="enterprise")
    cid = centers.create_center(
        ctx, name_zh="柳州某某工程技术研究中心", host_id=host, on=date(2026, 1, 1), industries=["汽车"]
    )
    with pytest.raises(ServiceError, match="尚未认定") as info:
        documents.certificate_spec(ctx, cid)
    assert info.value.field == "中心"
    with pytest.raises(ServiceError, match="尚未认定"):
        documents.plaque_spec(ctx, cid)
    with pytest.raises(NotFound):
        documents.certificate_spec(ctx, 9999)


def test_missing_certificate_number_and_english_name_are_named(ctx: AppContext) -> None:
    cid = recognised(ctx, "智能装备", None, en="")
    with pytest.raises(ServiceError) as info:
        documents.certificate_spec(ctx, cid)
    assert info.value.field == "证书编号"
    with pytest.raises(ServiceError) as info:
        documents.plaque_spec(ctx, cid)
    assert info.value.field == "英文名称"


def test_certificate_and_plaque_files(ctx: AppContext, tmp_path: Path) -> None:
    cid = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    a = documents.make_certificate(ctx, cid, tmp_path / "a.pdf")
    b = documents.make_certificate(ctx, cid, tmp_path / "b.pdf")
    assert a.read_bytes() == b.read_bytes()  # deterministic under the stored key
    p = documents.make_plaque(ctx, cid, tmp_path / "p.pdf", bleed=True)
    assert p.read_bytes().startswith(b"%PDF")


def test_batches_group_by_document_number(ctx: AppContext) -> None:
    a = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    b = recognised(ctx, "智能装备", "LZGC-2026-002")
    c = recognised(ctx, "螺蛳粉", "LZGC-2025-001", doc_no="柳科发〔2025〕3号", on=date(2025, 8, 1))
    batches = documents.recognition_batches(ctx)
    assert [x.document_no for x in batches] == [BATCH, "柳科发〔2025〕3号"]  # newest first
    assert batches[0].center_ids == (a, b) and batches[1].center_ids == (c,)
    assert batches[0].with_certificate_no == 2
    assert "2 个中心" in batches[0].label


def test_batch_to_a_folder_and_cancel_writes_nothing(ctx: AppContext, tmp_path: Path) -> None:
    recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    recognised(ctx, "智能装备", "LZGC-2026-002")
    recognised(ctx, "螺蛳粉", "LZGC-2026-003")
    seen: list[tuple[int, int]] = []

    def stop_at_two(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 2

    out = tmp_path / "cancelled"
    cancelled = documents.make_certificate_batch(ctx, out, document_no=BATCH, progress=stop_at_two)
    assert cancelled.files == [] and cancelled.cancelled and cancelled.skipped == ()
    assert seen == [(1, 3), (2, 3)]
    assert not out.exists() or not any(out.iterdir())
    files = documents.make_certificate_batch(ctx, tmp_path / "all", document_no=BATCH).files
    assert [f.name for f in files] == ["LZGC-2026-001.pdf", "LZGC-2026-002.pdf", "LZGC-2026-003.pdf"]
    one = documents.make_certificate_batch(ctx, tmp_path / "all.pdf", document_no=BATCH)
    assert len(one.files) == 1 and not one.cancelled


def test_batch_refuses_unknown_batch_and_centres_without_numbers(ctx: AppContext, tmp_path: Path) -> None:
    recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    recognised(ctx, "智能装备", None)
    with pytest.raises(ServiceError, match="1 个中心没有证书编号，请先补充：柳州智能装备") as info:
        documents.make_certificate_batch(ctx, tmp_path / "x", document_no=BATCH)
    assert info.value.field == "证书编号"
    assert not (tmp_path / "x").exists()
    with pytest.raises(NotFound) as missing:
        documents.make_certificate_batch(ctx, tmp_path / "x", document_no="柳科发〔1999〕1号")
    assert missing.value.field == "认定批次"
    with pytest.raises(ServiceError, match="认定批次"):
        documents.make_certificate_batch(ctx, tmp_path / "x")


def test_verify_against_the_register(ctx: AppContext) -> None:
    cid = recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    spec = documents.certificate_spec(ctx, cid)
    key = documents.bureau_key(ctx)
    code = make_code(spec.number, spec.center_name, spec.date, key)
    assert code.startswith("LZ2-20260801-2026001-")
    ok = documents.verify_certificate(ctx, code)
    assert ok.genuine and ok.status == "genuine" and ok.name == spec.center_name
    assert ok.number == "LZGC-2026-001" and ok.version == 2
    assert documents.verify_certificate(ctx, code, name="  ").genuine  # blank name = use the register
    assert documents.verify_certificate(ctx, code, name=spec.center_name).genuine
    assert documents.verify_certificate(ctx, code, name="柳州别的工程技术研究中心").status == "forged"
    typed = code.lower().replace("-", "")
    assert documents.verify_certificate(ctx, typed).genuine  # lower case, no hyphens
    forged = make_code(spec.number, spec.center_name, spec.date, b"another-key-another-bureau-32byt")
    assert documents.verify_certificate(ctx, forged).status == "forged"
    mac_changed = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert documents.verify_certificate(ctx, mac_changed).status == "forged"
    unknown = make_code("LZGC-2026-999", spec.center_name, spec.date, key)
    assert documents.verify_certificate(ctx, unknown).status == "unknown"
    other_day = make_code(spec.number, spec.center_name, date(2026, 8, 2), key)  # signed, but not so
    result = documents.verify_certificate(ctx, other_day)
    assert not result.genuine and result.status == "unknown"
    assert documents.verify_certificate(ctx, "").status == "malformed"


def test_verify_tells_apart_centres_whose_numbers_share_the_digits(ctx: AppContext) -> None:
    """Same serial (2026001) and date, two centres: each code matches its own centre only."""
    a = recognised(ctx, "汽车轻量化", "柳工程中心证〔2026〕001号")
    b = recognised(ctx, "螺蛳粉", "LZGC-2026-001")
    key = documents.bureau_key(ctx)
    spec_a, spec_b = documents.certificate_spec(ctx, a), documents.certificate_spec(ctx, b)
    code_a = make_code(spec_a.number, spec_a.center_name, spec_a.date, key)
    code_b = make_code(spec_b.number, spec_b.center_name, spec_b.date, key)
    assert code_a[:21] == code_b[:21] == "LZ2-20260801-2026001-"
    assert documents.certificate_candidates(ctx, "2026001", date(2026, 8, 1)) == sorted(
        [(spec_a.number, spec_a.center_name), (spec_b.number, spec_b.center_name)]
    )
    assert documents.certificate_candidates(ctx, "2026001", date(2026, 8, 2)) == []
    assert documents.certificate_candidates(ctx, "2026002", date(2026, 8, 1)) == []
    ra, rb = documents.verify_certificate(ctx, code_a), documents.verify_certificate(ctx, code_b)
    assert ra.genuine and ra.name == spec_a.center_name and ra.number == spec_a.number
    assert rb.genuine and rb.name == spec_b.center_name and rb.number == spec_b.number
    # A's number with B's name: a certificate that was never issued
    swapped = make_code(spec_a.number, spec_b.center_name, spec_a.date, key)
    result = documents.verify_certificate(ctx, swapped)
    assert result.status == "forged" and "2 份登记证书" in result.message
    # B's name typed on A's code
    assert documents.verify_certificate(ctx, code_a, name=spec_b.center_name).status == "forged"


def test_verify_finds_a_number_kept_only_on_the_centre(ctx: AppContext) -> None:
    """Imported (older) data may hold the 证书编号 on the centre only, not on its recognition."""
    cid = recognised(ctx, "汽车轻量化", None)
    with db_sql.connect(ctx) as conn:  # as an import of older records leaves it
        conn.execute("UPDATE center SET certificate_no = ? WHERE id = ?", ("柳工程中心证〔2026〕007号", cid))
    spec = documents.certificate_spec(ctx, cid)
    assert spec.number == "柳工程中心证〔2026〕007号"
    code = make_code(spec.number, spec.center_name, spec.date, documents.bureau_key(ctx))
    result = documents.verify_certificate(ctx, code)
    assert result.genuine and result.number == spec.number


def test_version_1_codes_are_still_verified(ctx: AppContext) -> None:
    from lzcenter_desktop.documents.verify import make_code_v1

    cid = recognised(ctx, "汽车轻量化", "柳工程中心证〔2026〕001号")
    spec = documents.certificate_spec(ctx, cid)
    key = documents.bureau_key(ctx)
    code = make_code_v1(spec.number, spec.center_name, spec.date, key)
    result = documents.verify_certificate(ctx, code)
    assert result.genuine and result.version == 1 and result.number == spec.number
    assert documents.verify_certificate(ctx, code, name="柳州别的工程技术研究中心").status == "forged"
    unknown = make_code_v1("柳工程中心证〔2026〕002号", spec.center_name, spec.date, key)
    assert documents.verify_certificate(ctx, unknown).status == "unknown"


def test_glyph_problem_text_offers_a_fallback_or_says_there_is_none() -> None:
    from lzcenter_desktop.documents.fonts import MissingGlyph

    none = MissingGlyphError([MissingGlyph("中心名称", "\ue000", 0xE000, "宋体 粗体（LZSerifSC-Bold）")])
    text = documents.glyph_problem_text(none)
    assert "字段“中心名称”中的字“\ue000”（U+E000）" in text and "内置后备字体也都没有此字" in text
    some = MissingGlyphError([MissingGlyph("依托单位", "䶮", 0x4DAE, "黑体（SimHei）")])
    text = documents.glyph_problem_text(some, option_hint="（加 --font {key}）")
    assert "可改用内置后备字体“宋体 常规（LZSerifSC-Regular）”（加 --font serif）" in text


def test_recognised_list_holds_only_that_years_recognitions(ctx: AppContext, tmp_path: Path) -> None:
    from PySide6.QtPdf import QPdfDocument

    recognised(ctx, "汽车轻量化", "LZGC-2026-001")
    recognised(ctx, "螺蛳粉", "LZGC-2025-001", doc_no="柳科发〔2025〕3号", on=date(2025, 8, 1))
    out = documents.make_list(ctx, "recognised", tmp_path / "r.pdf", year=2025)
    doc = QPdfDocument()
    doc.load(str(out))
    text = doc.getAllText(0).text().replace("\r", "").replace("\n", "")
    assert "LZGC-2025-001" in text and "LZGC-2026-001" not in text


def test_unknown_list_kind_names_the_field(ctx: AppContext, tmp_path: Path) -> None:
    with pytest.raises(ServiceError) as info:
        documents.make_list(ctx, "everything", tmp_path / "l.pdf", year=2026)
    assert info.value.field == "名单类型"


def test_verify_on_a_database_that_never_issued_a_certificate_writes_nothing(ctx: AppContext) -> None:
    from lzcenter_desktop.documents.verify import make_code_v1

    code = make_code("LZGC-2026-001", "柳州某工程技术研究中心", date(2026, 8, 1), b"k" * 32)
    result = documents.verify_certificate(ctx, code)
    assert not result.genuine and result.status == "unknown" and "没有签发过任何证书" in result.message
    assert result.number is None and result.serial == "2026001" and result.date == date(2026, 8, 1)
    old = documents.verify_certificate(
        ctx, make_code_v1("LZGC-2026-001", "柳州某工程技术研究中心", date(2026, 8, 1), b"k" * 32)
    )
    assert old.status == "unknown" and old.number == "LZGC-2026-001"
    assert documents.verify_certificate(ctx, "garbage").status == "malformed"
    assert audit_rows(ctx, "bureau_secret") == []  # no key was made by checking
