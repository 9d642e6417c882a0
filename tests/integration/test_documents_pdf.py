"""Plaques, certificates and lists checked as PDFs with poppler-utils (pdfinfo, pdffonts, pdftotext,
pdftoppm).  poppler-utils is a test requirement; a missing tool fails these tests."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from lzcenter_desktop.documents import certificate, plaque
from lzcenter_desktop.documents.certificate import CertificateSpec, qr_matrix
from lzcenter_desktop.documents.fonts import bundled_faces
from lzcenter_desktop.documents.lists import ColumnSpec, render_list
from lzcenter_desktop.documents.plaque import PlaqueSpec
from lzcenter_desktop.documents.verify import check_code, make_code

KEY = bytes(range(32))
NAME = "柳州镕䶮智能网联汽车工程技术研究中心（柳州某某汽车有限公司）"
EN = ("Liuzhou Intelligent Connected Vehicle Research Center of Engineering Technology "
      "(Liuzhou Moumou Automobile Co., Ltd.)")
PLAQUE = PlaqueSpec(NAME, EN, date(2026, 11, 26))
CERT = CertificateSpec("LZGC-2026-001", NAME, "柳州某某汽车有限公司", "柳科规〔2026〕12号",
                       date(2026, 11, 26))


def run(tool: str, *args: str) -> str:
    exe = shutil.which(tool)
    assert exe, f"{tool} not found: install poppler-utils (apt-get install poppler-utils)"
    return subprocess.run([exe, *args], check=True, capture_output=True, text=True, encoding="utf-8").stdout


def text_of(pdf: Path, *args: str) -> str:
    return run("pdftotext", "-enc", "UTF-8", *args, str(pdf), "-")


def squash(text: str) -> str:
    return "".join(text.split())


def info(pdf: Path) -> dict[str, str]:
    """``pdfinfo -box`` as a dict (the boxes are those of page 1)."""
    out = run("pdfinfo", "-box", str(pdf))
    fields: dict[str, str] = {}
    for line in out.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def page_size(pdf: Path, page: int = 1) -> tuple[float, float]:
    out = run("pdfinfo", "-f", str(page), "-l", str(page), str(pdf))
    match = re.search(rf"^Page\s+{page} size:\s+([\d.]+) x ([\d.]+) pts", out, re.MULTILINE)
    assert match, out
    return float(match.group(1)), float(match.group(2))


def box(pdf: Path, name: str) -> tuple[float, ...]:
    return tuple(float(v) for v in info(pdf)[name].split())


def assert_only_our_embedded_fonts(pdf: Path) -> None:
    lines = run("pdffonts", str(pdf)).splitlines()[2:]
    assert lines, "no fonts listed"
    ours = {face.name for face in bundled_faces()}
    for line in lines:
        name, kind, *_ = line.split()
        cols = line.split()
        assert "+" in name and name.split("+", 1)[1] in ours, line  # a subset of one of ours
        assert kind == "TrueType", line
        assert cols[-5:-2] == ["yes", "yes", "yes"], line  # emb, sub, uni


def mm_to_pt(v: float) -> float:
    return v * 72 / 25.4


# --------------------------------------------------------------------------- plaque


@pytest.fixture(scope="module")
def plaque_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return plaque.render(replace(PLAQUE, proof=True), tmp_path_factory.mktemp("plaque") / "plaque.pdf")


def test_plaque_page_is_600_by_400_mm_and_the_proof_is_a4(plaque_pdf: Path) -> None:
    assert page_size(plaque_pdf) == pytest.approx((1700.79, 1133.86), abs=0.01)
    assert info(plaque_pdf)["Pages"] == "2"
    assert page_size(plaque_pdf, 2) == pytest.approx((841.89, 595.276), abs=0.01)


@pytest.mark.parametrize(("w", "h"), [(400, 300), (800, 500)])
def test_other_sizes_are_the_physical_size(tmp_path: Path, w: float, h: float) -> None:
    pdf = plaque.render(replace(PLAQUE, width_mm=w, height_mm=h), tmp_path / "p.pdf")
    assert page_size(pdf) == pytest.approx((mm_to_pt(w), mm_to_pt(h)), abs=0.01)


def test_bleed_adds_3_mm_each_side_with_trim_and_bleed_boxes(tmp_path: Path) -> None:
    pdf = plaque.render(replace(PLAQUE, bleed=True), tmp_path / "bleed.pdf")
    assert page_size(pdf) == pytest.approx((mm_to_pt(606), mm_to_pt(406)), abs=0.01)
    b = mm_to_pt(3)
    assert box(pdf, "TrimBox") == pytest.approx((b, b, b + mm_to_pt(600), b + mm_to_pt(400)), abs=0.01)
    assert box(pdf, "BleedBox") == pytest.approx((0, 0, mm_to_pt(606), mm_to_pt(406)), abs=0.01)
    # crop marks: dark pixels in the bleed margin next to a corner; none there without bleed
    plain = plaque.render(PLAQUE, tmp_path / "plain.pdf")
    darkest = []
    for pdf_file in (pdf, plain):
        out = tmp_path / f"corner-{pdf_file.stem}"
        run("pdftoppm", "-png", "-r", "150", "-gray", "-x", "0", "-y", "0", "-W", "40", "-H", "40",
            str(pdf_file), str(out))
        image = Image.open(next(tmp_path.glob(f"corner-{pdf_file.stem}*.png"))).convert("L")
        darkest.append(image.getextrema()[0])
    assert darkest[0] < 100 < darkest[1]


def test_plaque_text_extracts_exactly(plaque_pdf: Path) -> None:
    page1 = text_of(plaque_pdf, "-f", "1", "-l", "1")
    assert "柳州市镕䶮智能网联汽车" in page1 and "工程技术研究中心" in page1
    assert squash("柳州市镕䶮智能网联汽车工程技术研究中心") in squash(page1)
    assert " ".join(EN.split()) in " ".join(page1.split())
    assert "柳州市科学技术局" in page1
    assert "二〇二六年十一月" in page1
    # 第二十六条: the Chinese side names the host as the English side does, on its own smaller line
    assert "（柳州某某汽车有限公司）" in page1
    assert page1.index("工程技术研究中心") < page1.index("（柳州某某汽车有限公司）") < page1.index("Liuzhou")
    proof = text_of(plaque_pdf, "-f", "2", "-l", "2")
    for words in ("牌匾制作校样", "600 × 400 mm", "中国红 C0 M100 Y100 K10", "LZSerifSC-Bold",
                  "第 1 页为 1:1 矢量制作稿"):
        assert squash(words) in squash(proof), words


def test_plaque_fonts_are_embedded(plaque_pdf: Path) -> None:
    assert_only_our_embedded_fonts(plaque_pdf)


def test_plaque_bytes_repeat(plaque_pdf: Path, tmp_path: Path) -> None:
    again = plaque.render(replace(PLAQUE, proof=True), tmp_path / "again.pdf")
    assert again.read_bytes() == plaque_pdf.read_bytes()


def test_plaque_pixels_are_inside_the_trim_box(tmp_path: Path) -> None:
    """A 40-character title drawn at 600×400: the red title never touches the side margins."""
    name = "柳州新能源汽车动力电池热管理与高压电气系统安全及智能网联控制器工程技术研究中心"
    pdf = plaque.render(replace(PLAQUE, name_zh=name), tmp_path / "long.pdf")
    run("pdftoppm", "-png", "-r", "20", str(pdf), str(tmp_path / "long"))
    image = Image.open(next(tmp_path.glob("long*.png"))).convert("RGB")
    w, h = image.size
    unit = w / 600 * 4  # u = 4 mm on a 600 mm plate, in pixels
    # red pixels of the title band, leaving out the frame lines (within 5 u of the edges)
    band = range(int(h * 0.2), int(h * 0.55))
    xs = [x for x in range(int(5 * unit) + 1, int(w - 5 * unit)) for y in band
          if (lambda p: p[0] > 150 and p[1] < 90 and p[2] < 90)(image.getpixel((x, y)))]
    assert xs, "no title found"
    # the text keeps 11 u from the edges (1 u of tolerance for anti-aliasing)
    assert min(xs) >= 10 * unit and max(xs) <= w - 10 * unit
    assert squash("柳州市" + name[2:]) in squash(text_of(pdf))


# --------------------------------------------------------------------------- certificate


@pytest.fixture(scope="module")
def cert_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return certificate.render(CERT, tmp_path_factory.mktemp("cert") / "cert.pdf", key=KEY)


def test_certificate_is_a4_landscape_with_exact_text(cert_pdf: Path) -> None:
    assert page_size(cert_pdf) == pytest.approx((841.89, 595.276), abs=0.01)
    text = text_of(cert_pdf)
    code = make_code(CERT.number, CERT.center_name, CERT.date, KEY)
    for words in ("编号：LZGC-2026-001", NAME, "依托单位：柳州某某汽车有限公司",
                  "认定文号：柳科规〔2026〕12号", "柳州市科学技术局", "二〇二六年十一月二十六日", code):
        assert words in text, words
    assert squash(certificate.BODY) in squash(text)
    assert squash(certificate.TITLE) in squash(text)
    assert_only_our_embedded_fonts(cert_pdf)


def test_certificate_qr_code_is_printed_module_for_module(cert_pdf: Path, tmp_path: Path) -> None:
    """Rasterise the page and sample each module's centre: the printed QR code is the code."""
    dpi = 300
    run("pdftoppm", "-png", "-gray", "-r", str(dpi), str(cert_pdf), str(tmp_path / "page"))
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    code = make_code(CERT.number, CERT.center_name, CERT.date, KEY)
    matrix = qr_matrix(code)
    n = len(matrix)
    module = certificate.QR_SIZE_MM / (n + 2 * certificate.QR_QUIET_MODULES)
    px = dpi / 25.4
    top_mm = 210 - certificate.QR_Y_MM - certificate.QR_SIZE_MM
    printed = [
        [image.getpixel((
            round((certificate.QR_X_MM + (certificate.QR_QUIET_MODULES + c + 0.5) * module) * px),
            round((top_mm + (certificate.QR_QUIET_MODULES + r + 0.5) * module) * px),
        )) < 128 for c in range(n)]
        for r in range(n)
    ]
    assert printed == matrix
    assert check_code(code, KEY, number=CERT.number, name=CERT.center_name).genuine  # v2: number typed


def test_certificate_batch_as_one_file_has_a_page_each(tmp_path: Path) -> None:
    batch = [replace(CERT, number=f"LZGC-2026-{i:03d}") for i in range(1, 6)]
    [pdf] = certificate.render_batch(batch, tmp_path / "all.pdf", key=KEY)
    assert info(pdf)["Pages"] == "5"
    pages = [text_of(pdf, "-f", str(i), "-l", str(i)) for i in range(1, 6)]
    for i, page in enumerate(pages, start=1):
        assert f"LZGC-2026-{i:03d}" in page
    assert_only_our_embedded_fonts(pdf)


# --------------------------------------------------------------------------- lists


@pytest.fixture(scope="module")
def list_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    columns = [ColumnSpec("序号", 0.7, "center"), ColumnSpec("中心名称", 3), ColumnSpec("依托单位", 2),
               ColumnSpec("所属领域", 1.1, "center"), ColumnSpec("评审得分", 1.1, "right")]
    rows = [[str(i), f"柳州第{i}号工程技术研究中心（某公司）", f"柳州某某{i}号有限公司", "汽车",
             f"{90 - i / 10:.1f}"] for i in range(1, 81)]
    return render_list(
        "proposed", "2026年度柳州市工程技术研究中心拟认定名单", columns, rows,
        tmp_path_factory.mktemp("list") / "list.pdf", document_no="柳科规〔2026〕12号",
        intro="经专家评审和现场考察，拟认定以下中心，现予公示。", date=date(2026, 11, 26),
    )


def test_list_repeats_the_header_row_on_every_page(list_pdf: Path) -> None:
    pages = int(info(list_pdf)["Pages"])
    assert pages >= 3
    for page in range(1, pages + 1):
        text = text_of(list_pdf, "-f", str(page), "-l", str(page))
        for header in ("序号", "中心名称", "依托单位", "所属领域", "评审得分"):
            assert header in text, (page, header)
        assert f"第{page}页共{pages}页" in squash(text)


def test_list_text_extracts_exactly_and_in_order(list_pdf: Path) -> None:
    text = squash(text_of(list_pdf))
    assert "2026年度柳州市工程技术研究中心拟认定名单" in text
    assert "柳科规〔2026〕12号" in text
    positions = [text.index(squash(f"柳州第{i}号工程技术研究中心（某公司）")) for i in (1, 40, 80)]
    assert positions == sorted(positions)
    assert "二〇二六年十一月二十六日" in text
    assert_only_our_embedded_fonts(list_pdf)


def test_list_page_size_is_a4_and_landscape_when_wide(list_pdf: Path, tmp_path: Path) -> None:
    assert page_size(list_pdf) == pytest.approx((595.276, 841.89), abs=0.01)
    wide = render_list("annual_summary", "年度报告汇总", [ColumnSpec(f"列{i}") for i in range(8)],
                       [["1"] * 8], tmp_path / "wide.pdf")
    assert page_size(wide) == pytest.approx((841.89, 595.276), abs=0.01)
