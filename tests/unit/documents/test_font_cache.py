"""The parsed-font cache (``font_cache._cached_ttfont``): equal to reportlab's own parse, and a missing,
stale or damaged cache only ever means parsing the font again."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from lzcenter_desktop.documents import font_cache
from lzcenter_desktop.documents.fonts import FontFace, bundled_faces

FACE: FontFace = bundled_faces()[0]  # LZSerifSC-Regular, 9.7 MB
FUNCTIONS = {"_pdfScale", "addSubsetObjects"}


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setattr(font_cache, "face_cache_dir", lambda: folder)
    return folder


@pytest.fixture(scope="module")
def parsed() -> TTFont:
    return TTFont(FACE.name, str(FACE.path))


def saved(parsed: TTFont) -> Path:
    font_cache._save_parsed_face(FACE, parsed.face)
    return font_cache._face_cache_path(FACE)


def comparable(obj: Any, skip: set[str]) -> dict[str, Any]:
    return {k: v for k, v in vars(obj).items() if k not in skip}


def test_no_cache_file_means_none(cache_dir: Path) -> None:
    assert font_cache._cached_ttfont(FACE) is None


def test_cached_font_equals_a_fresh_parse(cache_dir: Path, parsed: TTFont) -> None:
    path = saved(parsed)
    assert path.parent == cache_dir and path.is_file()
    cached = font_cache._cached_ttfont(FACE)
    assert cached is not None
    assert isinstance(cached.face, TTFontFace)
    assert "glyphToChar" not in vars(cached.face)  # loaded when first used
    assert cached.face.glyphToChar == parsed.face.glyphToChar
    assert vars(cached.face).pop("_lz_lazy") == {}
    with pytest.raises(AttributeError):
        cached.face.no_such_attribute  # noqa: B018
    assert comparable(cached.face, FUNCTIONS) == comparable(parsed.face, FUNCTIONS)
    assert set(vars(cached.face)) - {"addSubsetObjects"} == set(vars(parsed.face)) - {"addSubsetObjects"}
    for name in ("name", "familyName", "styleName", "fullName", "uniqueFontID"):
        assert type(getattr(cached.face, name)) is type(getattr(parsed.face, name))
        assert getattr(cached.face, name).ustr == getattr(parsed.face, name).ustr
    assert [cached.face._pdfScale(v) for v in (0, 1, 500)] == [parsed.face._pdfScale(v) for v in (0, 1, 500)]
    skip = {"face", "encoding", "state"}
    assert comparable(cached, skip) == comparable(parsed, skip)
    text = "柳州市工程技术研究中心"
    assert cached.stringWidth(text, 12) == parsed.stringWidth(text, 12)
    assert cached.face.makeSubset([0, 0x67F3, 0x5DDE]) == parsed.face.makeSubset([0, 0x67F3, 0x5DDE])


@pytest.mark.parametrize("damage", ["empty", "truncated", "bad magic", "flipped byte", "garbage"])
def test_a_damaged_cache_is_ignored(cache_dir: Path, parsed: TTFont, damage: str) -> None:
    path = saved(parsed)
    blob = path.read_bytes()
    broken = {
        "empty": b"",
        "truncated": blob[: len(blob) // 2],
        "bad magic": b"X" + blob[1:],
        "flipped byte": blob[:-100] + bytes([blob[-100] ^ 0x01]) + blob[-99:],
        "garbage": os.urandom(4096),
    }[damage]
    path.write_bytes(broken)
    assert font_cache._cached_ttfont(FACE) is None


def test_a_cache_with_a_valid_checksum_but_nonsense_inside_is_ignored(cache_dir: Path) -> None:
    import hashlib
    import marshal

    payload = marshal.dumps(["not", "a", "face"])
    path = font_cache._face_cache_path(FACE)
    path.parent.mkdir(parents=True)
    path.write_bytes(
        font_cache._FACE_CACHE_MAGIC + hashlib.blake2b(payload, digest_size=32).digest() + payload
    )
    assert font_cache._cached_ttfont(FACE) is None


def test_a_cache_of_another_font_file_is_stale(cache_dir: Path, parsed: TTFont, tmp_path: Path) -> None:
    saved(parsed)
    copy = tmp_path / FACE.path.name
    copy.write_bytes(FACE.path.read_bytes())
    moved = FontFace(FACE.name, copy, FACE.role, FACE.bold, FACE.family, FACE.label)
    os.utime(copy, ns=(FACE.path.stat().st_atime_ns, FACE.path.stat().st_mtime_ns))
    assert font_cache._cached_ttfont(moved) is not None  # same bytes, size and time: still valid
    os.utime(copy, ns=(0, FACE.path.stat().st_mtime_ns + 1))  # touched: stale
    assert font_cache._cached_ttfont(moved) is None
    data = bytearray(FACE.path.read_bytes())
    data[100] ^= 0xFF  # a byte in the first 64 KB changed, same size and time
    copy.write_bytes(bytes(data))
    os.utime(copy, ns=(0, FACE.path.stat().st_mtime_ns))
    assert font_cache._cached_ttfont(moved) is None


def test_an_unwritable_cache_folder_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: TTFont
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(font_cache, "face_cache_dir", lambda: blocker / "cache")
    font_cache._save_parsed_face(FACE, parsed.face)  # no exception
    assert font_cache._cached_ttfont(FACE) is None


def test_pack_round_trips_every_kind_of_value() -> None:
    values: list[Any] = [
        [1, 2, 3],
        [(1000, 100), (256, -3)],
        {32: 256, 160: 256},
        {1: [32, 160]},
        [],
        {},
        "text",
        3,
        [1, "x"],
        [(1, 2, 3)],
        {"OS/2": {"offset": 1}},
        [1 << 70],
    ]
    for value in values:
        assert font_cache._unpack(font_cache._pack(value)) == value


RENDER = """
import sys
from datetime import date
from pathlib import Path
from lzcenter_desktop.documents import certificate, font_registry
spec = certificate.CertificateSpec("LZGC-2026-001", "柳州某某工程技术研究中心", "柳州某某有限公司",
                                   "柳科规〔2026〕12号", date(2026, 11, 26))
certificate.render(spec, Path(sys.argv[1]), key=bytes(range(32)))
# how many faces came from the cache
print(sum(type(f.face).__name__ == "CachedTTFontFace" for f in font_registry._rl_fonts.values()))
"""


def test_printing_uses_the_cache_and_the_pdf_is_the_same(tmp_path: Path) -> None:
    """In fresh processes: a certificate drawn with fonts from the cache is byte-for-byte the one
    drawn with parsed fonts, and corrupt cache files still print (parsed again)."""
    import subprocess
    import sys

    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "LOCALAPPDATA": str(tmp_path / "data")}

    def render(name: str) -> tuple[bytes, int]:
        done = subprocess.run(
            [sys.executable, "-c", RENDER, str(tmp_path / name)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        return (tmp_path / name).read_bytes(), int(done.stdout.split()[-1])

    parsed_pdf, from_cache = render("a.pdf")
    assert from_cache == 0
    cache = tmp_path / "data" / "lzcenter" / "cache"
    files = sorted(cache.glob("*.bin"))
    assert [f.name.split(".")[0] for f in files] == ["LZSerifSC-Bold", "LZSerifSC-Regular"]
    assert render("b.pdf") == (parsed_pdf, 2)
    for f in files:
        f.write_bytes(b"corrupt")
    assert render("c.pdf") == (parsed_pdf, 0)
    assert render("d.pdf") == (parsed_pdf, 2)  # rewritten by the run before
