"""Benchmark: certificates — our batch against LibreOffice converting equivalent .docx files.

Run:  .venv/bin/python benchmarks/bench_certificates.py [--count 200] [--skip-libreoffice]

Measures, in one run, side by side:

1. certificates per second after the fonts are loaded (``render_batch`` of N certificates, both
   to a folder of N files and to one N-page file; warm process, median of 3);
2. the whole process for N certificates, start-up included: a fresh ``python -c`` that imports the
   package, loads the fonts, checks glyphs, makes the codes and writes N PDF files (median of 3),
   after one untimed first run (also printed) that fills the parsed-font cache of a private data
   folder and writes the bytecode, as an installed application has them;
3. LibreOffice: N equivalent certificate ``.docx`` files (same texts, A4 landscape, the QR code as
   a PNG), written with zipfile + XML (python-docx is not a dependency), converted with
   ``soffice --headless --convert-to pdf --outdir OUT *.docx`` in one process.  LibreOffice gets
   a warmed user profile (a first untimed conversion) and the same bundled fonts in its font
   path, so it embeds the same faces instead of falling back.

Numbers are recorded in benchmarks/README.md, section "Certificates vs LibreOffice".
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

KEY = b"benchmark-key-not-a-secret-32byt"

WHOLE_PROCESS = """
import sys, time
from datetime import date
from pathlib import Path
t = time.perf_counter()
from lzcenter_desktop.documents.certificate import CertificateSpec, render_batch
specs = [CertificateSpec(f"LZGC-2026-{i:03d}",
                         f"柳州智能网联汽车{i:03d}号工程技术研究中心（柳州某某汽车有限公司）",
                         "柳州某某汽车有限公司", "柳科规〔2026〕12号", date(2026, 11, 26))
         for i in range(int(sys.argv[1]))]
render_batch(specs, Path(sys.argv[2]), key=b"benchmark-key-not-a-secret-32byt")
print(time.perf_counter() - t)
"""


def specs(count: int) -> list:  # type: ignore[type-arg]
    from lzcenter_desktop.documents.certificate import CertificateSpec

    return [
        CertificateSpec(
            f"LZGC-2026-{i:03d}",
            f"柳州智能网联汽车{i:03d}号工程技术研究中心（柳州某某汽车有限公司）",
            "柳州某某汽车有限公司",
            "柳科规〔2026〕12号",
            date(2026, 11, 26),
        )
        for i in range(count)
    ]


# --------------------------------------------------------------------------- .docx by hand

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""

ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
 Target="word/document.xml"/>
</Relationships>"""

DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rIdQr" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
 Target="media/qr.png"/>
</Relationships>"""

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)


def _para(
    text: str,
    *,
    size_pt: float,
    font: str,
    bold: bool = False,
    align: str = "center",
    indent_chars: int = 0,
    color: str = "000000",
    space_after: int = 120,
) -> str:
    ppr = f'<w:pPr><w:jc w:val="{align}"/><w:spacing w:after="{space_after}"/>'
    if indent_chars:
        ppr += f'<w:ind w:firstLineChars="{indent_chars * 100}"/>'
    ppr += "</w:pPr>"
    rpr = (
        f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>'
        f'{"<w:b/>" if bold else ""}<w:color w:val="{color}"/>'
        f'<w:sz w:val="{round(size_pt * 2)}"/></w:rPr>'
    )
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _qr_paragraph(emu: int) -> str:
    return (
        '<w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:drawing>'
        f'<wp:inline><wp:extent cx="{emu}" cy="{emu}"/><wp:docPr id="1" name="qr"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="qr.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        '<pic:blipFill><a:blip r:embed="rIdQr"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{emu}" cy="{emu}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


def qr_png(code: str) -> bytes:
    from PIL import Image

    from lzcenter_desktop.documents.certificate import qr_matrix

    matrix = qr_matrix(code)
    n = len(matrix) + 4
    img = Image.new("1", (n, n), 1)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                img.putpixel((c + 2, r + 2), 0)
    img = img.resize((n * 8, n * 8), Image.Resampling.NEAREST)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def certificate_docx(spec: object, code: str) -> bytes:
    from lzcenter_desktop.documents.certificate import BODY, QR_CAPTION, TITLE, certificate_texts

    texts = certificate_texts(spec)  # type: ignore[arg-type]
    serif, bold = "LZCenter Serif SC", "LZCenter Serif SC"
    body = "".join(
        _para(part, size_pt=16, font=serif, align="left", indent_chars=2) for part in BODY.split("\n")
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>'
        + _para(texts["证书编号"], size_pt=12, font=serif, align="right")
        + _para(TITLE, size_pt=40, font=bold, bold=True, color="C8102E", space_after=480)
        + _para(texts["中心名称"], size_pt=24, font=bold, bold=True)
        + _para(texts["依托单位"], size_pt=14, font=serif, space_after=360)
        + body
        + _qr_paragraph(int(30 / 25.4 * 914400))
        + _para(texts["认定文号"], size_pt=11, font=serif, align="left")
        + _para(QR_CAPTION, size_pt=8.5, font=serif, align="left")
        + _para(code, size_pt=7.5, font=serif, align="left")
        + _para(texts["发证单位"], size_pt=18, font=bold, bold=True, align="right")
        + _para(texts["日期"], size_pt=15, font=serif, align="right")
        + '<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>'
        '<w:pgMar w:top="1134" w:right="1418" w:bottom="1134" w:left="1418" w:header="0" w:footer="0" '
        'w:gutter="0"/></w:sectPr></w:body></w:document>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("word/_rels/document.xml.rels", DOC_RELS)
        z.writestr("word/document.xml", document)
        z.writestr("word/media/qr.png", qr_png(code))
    return out.getvalue()


def libreoffice(count: int, work: Path) -> float:
    from lzcenter_desktop.documents.fonts import bundled_faces
    from lzcenter_desktop.documents.verify import make_code

    soffice = shutil.which("soffice")
    if not soffice:
        raise SystemExit("soffice not found (Debian: libreoffice-writer-nogui)")
    home = work / "home"
    (home / ".fonts").mkdir(parents=True)
    for face in bundled_faces():
        shutil.copy(face.path, home / ".fonts" / face.path.name)
    env = {**os.environ, "HOME": str(home)}
    profile = f"-env:UserInstallation=file://{work / 'profile'}"
    docx = work / "docx"
    docx.mkdir()
    for spec in specs(count):
        code = make_code(spec.number, spec.center_name, spec.date, KEY)
        (docx / f"{spec.number}.docx").write_bytes(certificate_docx(spec, code))
    # warm-up: create the profile and the font cache, untimed
    warm = work / "warm"
    warm.mkdir()
    shutil.copy(next(docx.glob("*.docx")), warm / "warm.docx")
    subprocess.run(
        [
            soffice,
            profile,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "warm-out"),
            str(warm / "warm.docx"),
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    out = work / "lo-out"
    files = sorted(str(p) for p in docx.glob("*.docx"))
    start = time.perf_counter()
    subprocess.run(
        [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(out), *files],
        check=True,
        capture_output=True,
        env=env,
    )
    elapsed = time.perf_counter() - start
    made = len(list(out.glob("*.pdf")))
    if made != count:
        raise SystemExit(f"LibreOffice made {made} PDFs, expected {count}")
    shutil.copy(
        out / f"{specs(1)[0].number}.pdf", work.parent / "libreoffice-certificate.pdf"
    ) if os.environ.get("KEEP_LO_SAMPLE") else None
    return elapsed


def process_env(data_home: Path) -> dict[str, str]:
    """The subprocesses' environment: their own data folder (so the parsed-font cache starts empty
    and the user's is untouched) and bytecode writing allowed, as in an installed application
    (this machine's sessions set PYTHONDONTWRITEBYTECODE, which would recompile the edited
    modules on every start)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["XDG_DATA_HOME"] = str(data_home)
    return env


def one_process(count: int, out: Path, env: dict[str, str]) -> tuple[float, float]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", WHOLE_PROCESS, str(count), str(out)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
    )
    wall = time.perf_counter() - start
    made = 1 if out.suffix == ".pdf" and out.is_file() else len(list(out.glob("*.pdf")))
    if made != (1 if out.suffix == ".pdf" else count):
        raise SystemExit("the subprocess did not write every certificate")
    return wall, float(done.stdout.strip().splitlines()[-1])


def whole_process(count: int, target: Path, env: dict[str, str], runs: int = 3) -> tuple[float, float]:
    """(wall time of the subprocess, time it reports from before the first import), medians.

    ``target`` ending in ``.pdf`` makes one multi-page file, else a folder of ``count`` files.
    """
    walls, inner = [], []
    for i in range(runs):
        wall, reported = one_process(count, target.with_name(f"{target.stem}-{i}{target.suffix}"), env)
        walls.append(wall)
        inner.append(reported)
    return statistics.median(walls), statistics.median(inner)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--skip-libreoffice", action="store_true")
    args = parser.parse_args()
    count = args.count

    with tempfile.TemporaryDirectory(prefix="bench-cert-") as tmp:
        work = Path(tmp)
        # this process's parsed-font cache goes to a private folder too, never the user's
        os.environ["XDG_DATA_HOME"] = os.environ["LOCALAPPDATA"] = str(work / "own-data")
        from lzcenter_desktop.documents.certificate import render_batch
        from lzcenter_desktop.documents.fonts import register_reportlab_fonts

        register_reportlab_fonts()
        batch = specs(count)
        render_batch(batch[:3], work / "warm", key=KEY)
        folder_times, single_times = [], []
        for i in range(3):
            start = time.perf_counter()
            render_batch(batch, work / f"folder-{i}", key=KEY)
            folder_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            render_batch(batch, work / f"single-{i}.pdf", key=KEY)
            single_times.append(time.perf_counter() - start)
        folder, single = statistics.median(folder_times), statistics.median(single_times)
        print(f"warm, {count} certificates → {count} files:      {folder:.2f} s = {count / folder:.0f} /s")
        print(f"warm, {count} certificates → one {count}-page file: {single:.2f} s = {count / single:.0f} /s")
        env = process_env(work / "data")
        cold, cold_inner = one_process(count, work / "cold", env)  # first run: no font cache, no bytecode
        print(
            f"first run ever, {count} files (no font cache):    {cold:.2f} s wall "
            f"({cold_inner:.2f} s from first import; untimed warm-up for what follows)"
        )
        wall, inner = whole_process(count, work / "proc", env)
        print(
            f"whole process, {count} files (fresh python):      {wall:.2f} s wall "
            f"({inner:.2f} s from first import)"
        )
        wall1, inner1 = whole_process(count, work / "proc.pdf", env)
        print(
            f"whole process, one {count}-page file:             {wall1:.2f} s wall "
            f"({inner1:.2f} s from first import)"
        )
        if args.skip_libreoffice:
            return
        lo = libreoffice(count, work / "lo")
        print(f"LibreOffice, {count} .docx → PDF, one process:   {lo:.2f} s")
        print(f"ratio LibreOffice / ours, {count} files:          {lo / wall:.1f}×")
        print(f"ratio LibreOffice / ours, one {count}-page file:  {lo / wall1:.1f}×")


if __name__ == "__main__":
    main()
