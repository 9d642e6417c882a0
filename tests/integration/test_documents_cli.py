"""``lzcenter-desktop document …`` and ``verify``, end to end: real processes, files and databases."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import db_backend

REPO = Path(__file__).resolve().parents[2]
MM = 72 / 25.4
#: a version-2 code as printed: LZ2-<date>-<serial>-XXXX-XXXX-XXXX-XXXX, on one line
CODE = re.compile(r"LZ2-\d{8}-(?:\d+|N)-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def run_cli(
    *args: str, db: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    if db is not None and db_backend.is_server_database(db):
        return _run_in_process(["--db", str(db), *args], env or {})
    full_env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    full_env.pop("LZCENTER_DB", None)
    full_env.update(env or {})
    prefix = ["--db", str(db)] if db is not None else []
    return subprocess.run(
        [sys.executable, "-m", "lzcenter_desktop", *prefix, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env=full_env,
        timeout=300,
    )


def _run_in_process(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The command run in this process: in the PostgreSQL run the test's database is a server
    database that only this process (through tests/db_backend.py) knows the path stands for."""
    from lzcenter_desktop import cli

    saved = dict(os.environ)
    out, err = io.StringIO(), io.StringIO()
    try:
        os.environ.pop("LZCENTER_DB", None)
        os.environ.update(env)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def page_sizes_mm(pdf: Path) -> list[tuple[int, int]]:
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    assert doc.load(str(pdf)) == QPdfDocument.Error.None_
    sizes = [doc.pagePointSize(i) for i in range(doc.pageCount())]
    return [(round(s.width() / MM), round(s.height() / MM)) for s in sizes]


def pdf_text(pdf: Path) -> str:
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    assert doc.load(str(pdf)) == QPdfDocument.Error.None_
    return "\n".join(doc.getAllText(i).text() for i in range(doc.pageCount()))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from lzcenter_desktop.services import demo
    from lzcenter_desktop.services.context import open_app

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    ctx = open_app(str(path))
    try:
        demo.build_demo(ctx, seed=2026)
    finally:
        ctx.db.dispose()
    return path


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database for one test."""
    copy = tmp_path / "demo.sqlite"
    db_backend.copy_database(demo_db, copy)
    return copy


def ended_centre(db: Path, state: str) -> tuple[int, str]:
    """(id, name) of the demo centre in ``state`` (the demo has one revoked, forfeited, withdrawn)."""
    with contextlib.closing(db_backend.connect(db)) as conn, conn:
        row = conn.execute("SELECT id, name_zh FROM center WHERE state = ? ORDER BY id", (state,)).fetchone()
    assert row is not None, state
    return int(row[0]), str(row[1])


def recognised_with_certificate(db: Path) -> tuple[int, str, str]:
    """(centre id, name, certificate number) of a recognised centre of the demo database."""
    with contextlib.closing(db_backend.connect(db)) as conn, conn:
        row = conn.execute(
            "SELECT c.id, c.name_zh, r.certificate_no FROM center c JOIN recognition r ON r.center_id = c.id "
            "WHERE r.certificate_no IS NOT NULL AND c.name_en != '' ORDER BY c.id LIMIT 1"
        ).fetchone()
    assert row is not None
    return int(row[0]), str(row[1]), str(row[2])


# --------------------------------------------------------------------------- plaque


def free_certificate(out: Path, name: str = "柳州光学工程技术研究中心", *extra: str) -> tuple[str, ...]:
    """The arguments of ``document certificate`` for a centre that is not in the database."""
    return (
        "document", "certificate", "--name", name, "--host", "某公司", "--number", "LZ-1",
        "--date", "2026-11-26", *extra, "-o", str(out),
    )  # fmt: skip


def test_plaque_from_the_command_line_with_bleed_is_606_by_406_mm(tmp_path: Path) -> None:
    out = tmp_path / "牌匾.pdf"
    done = run_cli(
        "document",
        "plaque",
        "--name",
        "柳州智能网联汽车工程技术研究中心",
        "--host",
        "柳州某某汽车有限公司",
        "--date",
        "2026-11-26",
        "--size",
        "600x400",
        "--bleed",
        "-o",
        str(out),
        db=tmp_path / "x.sqlite",
    )
    assert done.returncode == 0, done.stderr
    assert page_sizes_mm(out) == [(606, 406)]
    assert "柳州市智能网联汽车" in pdf_text(out).replace("\r", "").replace("\n", "")
    assert "--name-en" in done.stderr  # the English line is left off, and the user is told


def test_plaque_without_bleed_is_the_trim_size_and_english_is_printed(tmp_path: Path) -> None:
    out = tmp_path / "p.pdf"
    done = run_cli(
        "document",
        "plaque",
        "--name",
        "柳州智能网联汽车工程技术研究中心",
        "--host",
        "柳州某某汽车有限公司",
        "--name-en",
        "Liuzhou Intelligent Connected Vehicle Research Center of Engineering Technology",
        "--date",
        "2026-11-26",
        "--size",
        "400x300",
        "-o",
        str(out),
        db=tmp_path / "x.sqlite",
    )
    assert done.returncode == 0, done.stderr
    assert page_sizes_mm(out) == [(400, 300)]
    assert "Research Center" in pdf_text(out)


@pytest.mark.parametrize(
    ("size", "message"), [("99x99", "牌匾宽度"), ("600x", "牌匾尺寸"), ("abc", "牌匾尺寸")]
)
def test_bad_plaque_size_is_refused_in_chinese(tmp_path: Path, size: str, message: str) -> None:
    out = tmp_path / "p.pdf"
    done = run_cli(
        "document",
        "plaque",
        "--name",
        "柳州智能网联汽车工程技术研究中心",
        "--host",
        "某公司",
        "--date",
        "2026-11-26",
        "--size",
        size,
        "-o",
        str(out),
        db=tmp_path / "x.sqlite",
    )
    assert done.returncode == 2
    assert message in done.stderr
    assert not out.exists()


def test_plaque_of_a_centre_from_the_database(db: Path, tmp_path: Path) -> None:
    cid, name, _ = recognised_with_certificate(db)
    out = tmp_path / "p.pdf"
    done = run_cli("document", "plaque", "--center", str(cid), "--proof", "-o", str(out), db=db)
    assert done.returncode == 0, done.stderr
    assert page_sizes_mm(out) == [(600, 400), (297, 210)]
    text = pdf_text(out).replace("\r", "").replace("\n", "")
    assert name.split("（")[0].replace("柳州", "柳州市", 1) in text


def test_free_form_without_required_options_names_them(tmp_path: Path) -> None:
    done = run_cli(
        "document",
        "plaque",
        "--name",
        "柳州智能网联汽车工程技术研究中心",
        "-o",
        str(tmp_path / "p.pdf"),
        db=tmp_path / "x.sqlite",
    )
    assert done.returncode == 2
    assert "--host" in done.stderr and "--date" in done.stderr


def test_output_must_be_a_pdf(tmp_path: Path) -> None:
    done = run_cli(
        "document", "plaque", "--center", "1", "-o", str(tmp_path / "p.docx"), db=tmp_path / "x.sqlite"
    )
    assert done.returncode == 2 and ".pdf" in done.stderr


# --------------------------------------------------------------------------- certificate and verify


def test_certificate_with_a_rare_character_prints_and_verifies(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite"
    name = "柳州䶮光学工程技术研究中心（柳州某光学有限公司）"
    out = tmp_path / "c.pdf"
    done = run_cli(
        "document",
        "certificate",
        "--name",
        name,
        "--host",
        "柳州某光学有限公司",
        "--number",
        "LZGC-2026-009",
        "--date",
        "2026-11-26",
        "--doc-no",
        "柳科发〔2026〕12号",
        "-o",
        str(out),
        db=db,
    )
    assert done.returncode == 0, done.stderr
    text = pdf_text(out)
    assert "䶮" in text
    code = CODE.search(text)  # on one line: found without joining lines
    assert code is not None and code.group(0).startswith("LZ2-20261126-2026009-")
    # A free-form certificate is not in the register: the name typed from it is not enough, since
    # a version-2 code holds only the digits of the number — the clerk is told it is not registered.
    unregistered = run_cli("verify", code.group(0), "--name", name, db=db)
    assert unregistered.returncode == 1, unregistered.stderr
    assert "未登记" in unregistered.stdout and "2026009" in unregistered.stdout
    # With the full number from the certificate, the rare-character name checks out under the key.
    from lzcenter_desktop.documents.verify import check_code
    from lzcenter_desktop.services import documents
    from lzcenter_desktop.services.context import open_app

    ctx = open_app(str(db))
    try:
        key = documents.bureau_key(ctx)
    finally:
        ctx.db.dispose()
    assert check_code(code.group(0), key, number="LZGC-2026-009", name=name).genuine
    wrong = check_code(code.group(0), key, number="LZGC-2026-009", name="柳州某某工程技术研究中心")
    assert wrong.status == "forged"


def test_a_character_no_font_has_stops_with_field_character_and_fallback(tmp_path: Path) -> None:
    out = tmp_path / "c.pdf"
    done = run_cli(*free_certificate(out, "柳州\ue000工程技术研究中心"), db=tmp_path / "x.sqlite")
    assert done.returncode == 2
    assert "中心名称" in done.stderr and "U+E000" in done.stderr
    assert "内置后备字体也都没有此字" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def _latin_only_windows_fonts(tmp_path: Path) -> Path:
    """A fake ``%WINDIR%`` whose 黑体 (simhei.ttf) is a TrueType font without any Chinese (reportlab's
    Vera), so every Chinese character needs the bundled fallback."""
    import reportlab

    fonts = tmp_path / "Windows" / "Fonts"
    fonts.mkdir(parents=True)
    shutil.copy(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf", fonts / "SIMHEI.TTF")
    return fonts.parent


def test_a_windows_font_lacking_a_character_offers_the_bundled_fallback(tmp_path: Path) -> None:
    windir = _latin_only_windows_fonts(tmp_path)
    out = tmp_path / "c.pdf"
    args = free_certificate(out)
    env = {"WINDIR": str(windir)}
    done = run_cli(*args, "--font", "黑体", db=tmp_path / "x.sqlite", env=env)
    assert done.returncode == 2, done.stderr
    assert "字段“中心名称”中的字“柳”（U+67F3）在字体“黑体（SimHei）”中没有字形" in done.stderr
    assert "可改用内置后备字体“宋体" in done.stderr and "--font serif" in done.stderr
    assert not out.exists()
    latin = run_cli(
        "document",
        "plaque",
        "--name",
        "柳州光学工程技术研究中心",
        "--host",
        "某公司",
        "--date",
        "2026-11-26",
        "--font",
        "SimHei",
        "-o",
        str(tmp_path / "p.pdf"),
        db=tmp_path / "x.sqlite",
        env=env,
    )
    assert latin.returncode == 2 and "中心名称" in latin.stderr and "SimHei" in latin.stderr
    fixed = run_cli(*args, "--font", "serif", db=tmp_path / "x.sqlite", env=env)
    assert fixed.returncode == 0, fixed.stderr


def test_an_unknown_font_is_refused_naming_the_option(tmp_path: Path) -> None:
    done = run_cli(
        *free_certificate(tmp_path / "c.pdf", "柳州光学工程技术研究中心", "--font", "楷体"),
        db=tmp_path / "x.sqlite",
        env={"WINDIR": str(tmp_path / "none")},
    )
    assert done.returncode == 2
    assert "--font" in done.stderr and "楷体" in done.stderr


def test_certificate_of_a_demo_centre_and_verify_genuine_and_tampered(db: Path, tmp_path: Path) -> None:
    cid, name, number = recognised_with_certificate(db)
    out = tmp_path / "c.pdf"
    done = run_cli("document", "certificate", "--center", str(cid), "-o", str(out), db=db)
    assert done.returncode == 0, done.stderr
    assert page_sizes_mm(out) == [(297, 210)]
    text = pdf_text(out).replace("\r", "").replace("\n", " ")
    assert number in text
    code = CODE.search(text)
    assert code is not None
    genuine = run_cli("verify", code.group(0), db=db)
    assert genuine.returncode == 0, genuine.stderr
    assert "真实" in genuine.stdout and "genuine" in genuine.stdout and name in genuine.stdout

    typed = code.group(0).lower().replace("-", " ")  # as a clerk may type it
    assert run_cli("verify", typed, db=db).returncode == 0

    last = code.group(0)[-1]
    tampered_code = code.group(0)[:-1] + ("A" if last != "A" else "B")
    tampered = run_cli("verify", tampered_code, db=db)
    assert tampered.returncode == 1
    assert "不真实" in tampered.stdout and "验证失败" in tampered.stdout

    parts = code.group(0).split("-")
    parts[1] = str(int(parts[1]) - 10000)  # a year earlier
    other_date = run_cli("verify", "-".join(parts), db=db)
    assert other_date.returncode == 1 and "未登记" in other_date.stdout


def test_the_key_is_kept_in_the_database_and_is_not_in_the_audit_trail(db: Path, tmp_path: Path) -> None:
    cid, _, _ = recognised_with_certificate(db)
    assert (
        run_cli(
            "document", "certificate", "--center", str(cid), "-o", str(tmp_path / "a.pdf"), db=db
        ).returncode
        == 0
    )
    assert (
        run_cli(
            "document", "certificate", "--center", str(cid), "-o", str(tmp_path / "b.pdf"), db=db
        ).returncode
        == 0
    )
    # same key in both processes: byte-identical certificates
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    with contextlib.closing(db_backend.connect(db)) as conn, conn:
        keys = conn.execute("SELECT name, value FROM bureau_secret").fetchall()
        audit = conn.execute("SELECT after FROM audit_entry WHERE entity = 'bureau_secret'").fetchall()
    # the database records the key ring and key K1's fingerprint, never the key (kept in the store)
    assert sorted(name for name, _ in keys) == ["certificate_key:K1", "certificate_keyring"]
    assert all(len(value) < 32 or name == "certificate_keyring" for name, value in keys)
    assert len(audit) == 2


def test_a_code_of_another_database_is_not_genuine(db: Path, tmp_path: Path) -> None:
    cid, _, _ = recognised_with_certificate(db)
    out = tmp_path / "c.pdf"
    assert run_cli("document", "certificate", "--center", str(cid), "-o", str(out), db=db).returncode == 0
    code = CODE.search(pdf_text(out).replace("\r", "").replace("\n", " "))
    assert code is not None
    other = tmp_path / "other.sqlite"
    db_backend.copy_database(db, other)
    # another bureau: another key ring (same register)
    with contextlib.closing(db_backend.connect(other)) as conn, conn:
        conn.execute(
            "UPDATE bureau_secret SET value = ? WHERE name = 'certificate_keyring'",
            (("ab" * 16).encode("ascii"),),
        )
    assert run_cli("verify", code.group(0), db=other).returncode == 1


def test_verify_of_an_unregistered_number_and_of_garbage(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite"
    for never_code in ("LZETRC1.NOPE-1.20261126.AAAAAAAAAAAAAAAAAAAA", "LZ2-20261126-1-AAAA-AAAA-AAAA-AAAA"):
        never = run_cli("verify", never_code, db=db)
        assert never.returncode == 1 and "未能确认真实" in never.stdout
        assert "没有签发过任何证书" in never.stdout
    issued = run_cli(*free_certificate(tmp_path / "c.pdf"), db=db)
    assert issued.returncode == 0, issued.stderr
    unknown = run_cli("verify", "LZETRC1.NOPE-1.20261126.AAAAAAAAAAAAAAAAAAAA", db=db)
    assert unknown.returncode == 1 and "未登记" in unknown.stdout
    unknown_v2 = run_cli("verify", "LZ2-20261126-999-AAAA-AAAA-AAAA-AAAA", db=db)
    assert unknown_v2.returncode == 1 and "未登记" in unknown_v2.stdout and "999" in unknown_v2.stdout
    garbage = run_cli("verify", "hello", db=db)
    assert garbage.returncode == 2 and "LZ2-" in garbage.stderr


def test_certificate_of_an_unrecognised_centre_is_refused(db: Path, tmp_path: Path) -> None:
    with contextlib.closing(db_backend.connect(db)) as conn, conn:
        cid = conn.execute(
            "SELECT id FROM center WHERE recognized_on IS NULL AND state IN ('draft', 'submitted') "
            "ORDER BY id LIMIT 1"
        ).fetchone()[0]
    done = run_cli("document", "certificate", "--center", str(cid), "-o", str(tmp_path / "c.pdf"), db=db)
    assert done.returncode == 2
    assert "尚未认定" in done.stderr


def test_a_whole_recognition_batch(db: Path, tmp_path: Path) -> None:
    """The batch of the demo's revoked centre: every other centre gets its certificate, the revoked
    one is skipped and named with the date and 文号 of its revocation."""
    revoked_id, revoked_name = ended_centre(db, "revoked")
    with contextlib.closing(db_backend.connect(db)) as conn, conn:
        doc_no, count = conn.execute(
            "SELECT document_no, count(*) FROM recognition WHERE document_no = "
            "(SELECT document_no FROM recognition WHERE center_id = ?) GROUP BY document_no",
            (revoked_id,),
        ).fetchone()
    assert count >= 2
    out = tmp_path / "batch"
    done = run_cli("document", "certificate", "--batch", doc_no, "-o", str(out), db=db)
    assert done.returncode == 0, done.stderr
    assert len(list(out.glob("*.pdf"))) == count - 1
    assert f"认定证书 {count - 1} 个文件" in done.stdout
    assert "已跳过 1 个不再持有称号的中心" in done.stdout
    assert f"“{revoked_name}”已于 2025年12月15日 被撤销（柳科发〔2025〕88号）" in done.stdout
    missing = run_cli("document", "certificate", "--batch", "柳科发〔1999〕1号", "-o", str(out), db=db)
    assert missing.returncode == 2 and "认定批次" in missing.stderr


# --------------------------------------------------------------------------- lists


@pytest.mark.parametrize("kind", ["proposed", "recognised", "evaluation", "rectification", "annual_summary"])
def test_every_list_kind(db: Path, tmp_path: Path, kind: str) -> None:
    with contextlib.closing(db_backend.connect(db)) as conn, conn:
        latest = conn.execute("SELECT max(recognized_on) FROM recognition").fetchone()[0]
    year = str(latest)[:4]  # a date on PostgreSQL, its ISO text on SQLite
    out = tmp_path / f"{kind}.pdf"
    done = run_cli(
        "document", "list", kind, "--year", str(year), "--date", "2026-11-26", "-o", str(out), db=db
    )
    assert done.returncode == 0, done.stderr
    text = pdf_text(out)
    assert "第 1 页" in text and "柳州市科学技术局" in text


def list_choices(db: Path):  # type: ignore[no-untyped-def]
    from lzcenter_desktop.services import documents
    from lzcenter_desktop.services.context import open_app

    ctx = open_app(str(db))
    try:
        return documents.list_choices(ctx)
    finally:
        ctx.db.dispose()


def test_a_list_defaults_to_the_latest_year_with_data(db: Path, tmp_path: Path) -> None:
    latest = list_choices(db)["recognised"][0]
    out = tmp_path / "recognised.pdf"
    done = run_cli("document", "list", "recognised", "-o", str(out), db=db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"已生成{latest.year}年度认定名单：{out}"
    assert f"{latest.year}年度柳州市工程技术研究中心认定名单" in pdf_text(out).replace("\n", "")


def test_a_list_of_one_batch(db: Path, tmp_path: Path) -> None:
    year = list_choices(db)["proposed"][-1]  # the oldest call with proposals, on one notice
    (notice,) = year.batches
    out = tmp_path / "proposed.pdf"
    done = run_cli(
        "document", "list", "proposed", "--year", str(year.year), "--batch", notice.key, "-o", str(out), db=db
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"已生成{year.year}年度拟认定名单（公示批次“{notice.key}”）：{out}"
    assert "公示期为" in "".join(pdf_text(out).split())


def test_a_year_or_batch_without_data_is_refused_in_chinese(db: Path, tmp_path: Path) -> None:
    have = "、".join(str(y.year) for y in list_choices(db)["recognised"])
    out = tmp_path / "l.pdf"
    done = run_cli("document", "list", "recognised", "--year", "2010", "-o", str(out), db=db)
    assert done.returncode == 2 and not out.exists()
    assert done.stderr.strip() == (
        f"错误：2010 年度没有认定记录，无法生成2010年度认定名单。有记录的年度：{have}。"
    )
    done = run_cli("document", "list", "evaluation", "--batch", "第一批", "-o", str(out), db=db)
    assert done.returncode == 2 and not out.exists()
    assert done.stderr.strip() == "错误：评估结果不分批次，请不要指定批次（收到“第一批”）。"


def test_a_list_of_an_empty_database_says_there_is_no_year(tmp_path: Path) -> None:
    out = tmp_path / "l.pdf"
    done = run_cli("document", "list", "annual_summary", "-o", str(out), db=tmp_path / "empty.sqlite")
    assert done.returncode == 2 and not out.exists()
    assert done.stderr.strip() == "错误：数据库中还没有任何年度的年度报告，无法生成年度报告汇总。"


def test_unknown_list_kind_is_refused(tmp_path: Path) -> None:
    done = run_cli("document", "list", "everything", "-o", str(tmp_path / "l.pdf"), db=tmp_path / "x.sqlite")
    assert done.returncode == 2 and "参数错误" in done.stderr


def test_an_unregistered_certificate_is_checked_with_its_number_and_name(tmp_path: Path) -> None:
    db = tmp_path / "free.sqlite"
    pdf = tmp_path / "free.pdf"
    name = "柳州光学工程技术研究中心（某公司）"
    number = "柳工程中心证〔2026〕077号"
    made = run_cli(
        "document", "certificate", "--name", name, "--host", "某公司", "--number", number,
        "--date", "2026-11-26", "-o", str(pdf), db=db,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    code = re.search(r"LZ2-20261126-2026077(?:-[0-9A-Z]{4}){4}", text)
    assert code is not None, text
    alone = run_cli("verify", code.group(0), db=db)
    assert alone.returncode == 1 and "未登记" in alone.stdout  # not in the register
    assert "未登记：非依据本系统认定记录生成" in text  # marked on the certificate itself
    typed = run_cli("verify", code.group(0), "--name", name, "--number", number, db=db)
    # the bureau's key made it, but it is not a registered certificate: never “真实有效” alone
    assert typed.returncode == 1, typed.stdout + typed.stderr
    assert "未登记（not registered）" in typed.stdout and "真实有效" not in typed.stdout
    wrong = run_cli("verify", code.group(0), "--name", name, "--number", "柳工程中心证〔2026〕078号", db=db)
    assert wrong.returncode != 0
    short_name = "柳州光学工程技术研究中心"  # the host's bracket left off: not what was signed
    other_name = run_cli("verify", code.group(0), "--name", short_name, "--number", number, db=db)
    assert other_name.returncode == 1 and "不真实" in other_name.stdout


# --------------------------------------------------------------------------- the bureau's record


@pytest.mark.parametrize(
    ("state", "words"),
    [
        ("revoked", "已于 2025年12月15日 被撤销（柳科发〔2025〕88号）"),
        ("forfeited", "已于 2025年12月15日 视为自动放弃工程技术中心资格（柳科发〔2025〕88号）"),
        ("withdrawn", "撤回认定"),
    ],
)
@pytest.mark.parametrize("kind", ["certificate", "plaque"])
def test_an_ended_demo_centre_gets_no_new_document(
    db: Path, tmp_path: Path, state: str, words: str, kind: str
) -> None:
    cid, name = ended_centre(db, state)
    out = tmp_path / f"{kind}.pdf"
    done = run_cli("document", kind, "--center", str(cid), "-o", str(out), db=db)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("错误：不能为“" + name + "”生成新的")
    assert words in done.stderr and "Traceback" not in done.stderr and "内部错误" not in done.stderr
    assert not out.exists()
    with contextlib.closing(db_backend.connect(db)) as conn, conn:
        assert conn.execute("SELECT count(*) FROM audit_entry WHERE entity = 'document'").fetchone() == (0,)


def test_the_old_certificate_of_a_revoked_demo_centre_verifies_as_revoked(db: Path) -> None:
    from datetime import date

    from lzcenter_desktop.documents.verify import make_code
    from lzcenter_desktop.services import documents
    from lzcenter_desktop.services.context import open_app

    cid, name = ended_centre(db, "revoked")
    with contextlib.closing(db_backend.connect(db)) as conn, conn:
        number, on = conn.execute(
            "SELECT certificate_no, recognized_on FROM recognition WHERE center_id = ?", (cid,)
        ).fetchone()
    ctx = open_app(str(db))
    try:  # the certificate it was given before the revocation, under this database's key
        on = on if isinstance(on, date) else date.fromisoformat(on)  # a date on PostgreSQL, text on SQLite
        code = make_code(number, name, on, documents.bureau_key(ctx))
    finally:
        ctx.db.dispose()
    done = run_cli("verify", code, db=db)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "证书真实，但该中心已于 2025年12月15日 被撤销（柳科发〔2025〕88号）" in done.stdout
    assert "真实有效" not in done.stdout and "已失效（no longer valid）" in done.stdout


def test_a_certificate_from_the_database_is_recorded_in_the_audit_trail(db: Path, tmp_path: Path) -> None:
    cid, name, number = recognised_with_certificate(db)
    out = tmp_path / "c.pdf"
    done = run_cli("document", "certificate", "--center", str(cid), "-o", str(out), db=db)
    assert done.returncode == 0, done.stderr
    code = CODE.search(pdf_text(out).replace("\r", "").replace("\n", " "))
    assert code is not None
    with contextlib.closing(db_backend.connect(db)) as conn, conn:
        rows = conn.execute(
            "SELECT action, operation, entity_id, after FROM audit_entry WHERE entity = 'document'"
        ).fetchall()
    assert len(rows) == 1
    action, operation, entity_id, after = rows[0]
    assert (action, operation, entity_id) == ("documents.make_certificate", "issue", str(cid))
    details = json.loads(after)
    assert details["certificate_no"] == number and details["center_name"] == name
    assert details["code"] == code.group(0) and details["registered"] is True


def test_a_bell_in_a_free_form_name_is_refused_naming_the_field(tmp_path: Path) -> None:
    out = tmp_path / "c.pdf"
    done = run_cli(*free_certificate(out, "柳州光学\a工程技术研究中心"), db=tmp_path / "x.sqlite")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "“中心名称”含有不可见的控制字符 U+0007" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()
    plaque = run_cli(
        "document", "plaque", "--name", "柳州光学\a工程技术研究中心", "--host", "某公司",
        "--date", "2026-11-26", "-o", str(tmp_path / "p.pdf"), db=tmp_path / "x.sqlite",
    )  # fmt: skip
    assert plaque.returncode == 2 and "“中心名称”含有不可见的控制字符 U+0007" in plaque.stderr
    assert not (tmp_path / "p.pdf").exists()
