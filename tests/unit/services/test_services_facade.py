"""What ``ui`` and ``cli`` get from ``services`` instead of ``storage`` / ``documents``: the fonts
(light at start-up), the environment problems, the document names, and bounded JSON reading."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lzcenter_desktop.documents import font_glyphs, plaque, verify
from lzcenter_desktop.services import documents, errors, fonts, inbound
from lzcenter_desktop.storage import errors as storage_errors

REPO = Path(__file__).resolve().parents[3]


def _modules_after(code: str) -> set[str]:
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def _documents_modules(modules: set[str]) -> set[str]:
    return {m for m in modules if m.startswith("lzcenter_desktop.documents.")}


def test_importing_the_fonts_loads_only_the_table_of_faces() -> None:
    modules = _modules_after(
        "from lzcenter_desktop.services.fonts import SANS_FAMILY, FontFace, bundled_faces"
    )
    assert _documents_modules(modules) == {"lzcenter_desktop.documents.font_faces"}
    assert "reportlab" not in modules


def test_the_glyph_error_is_loaded_when_first_used() -> None:
    modules = _modules_after("from lzcenter_desktop.services.fonts import MissingGlyphError")
    assert "lzcenter_desktop.documents.font_glyphs" in modules


def test_the_font_names_are_those_of_the_documents_layer() -> None:
    assert fonts.MissingGlyphError is font_glyphs.MissingGlyphError
    assert fonts.MissingGlyph is font_glyphs.MissingGlyph
    assert fonts.face_for("serif").name == fonts.bundled_faces()[0].name


def test_an_unknown_font_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        fonts.no_such_name  # noqa: B018 - the attribute access is the test


def test_system_faces_of_an_empty_folder_are_none(tmp_path: Path) -> None:
    assert fonts.system_faces(tmp_path) == ()


def test_environment_problems_are_those_of_storage() -> None:
    assert errors.EnvironmentProblem is storage_errors.EnvironmentProblem
    assert errors.DatabaseCorrupt is storage_errors.DatabaseCorrupt
    assert errors.DatabaseLocked is storage_errors.DatabaseLocked
    assert errors.classify is storage_errors.classify


def test_document_names_are_those_of_the_documents_layer() -> None:
    assert documents.STANDARD_SIZES is plaque.STANDARD_SIZES
    assert documents.PlaqueSpec is plaque.PlaqueSpec
    assert documents.VerifyResult is verify.VerifyResult
    assert documents.make_code is verify.make_code


# ---------------------------------------------------------------- read_json_file

LIMIT = 64


def _json_of_size(size: int) -> bytes:
    """A JSON object of exactly ``size`` bytes."""
    base = b'{"a":""}'
    return base[:-2] + b"x" * (size - len(base)) + base[-2:]


@pytest.mark.parametrize("size", [LIMIT - 1, LIMIT])
def test_a_file_at_or_below_the_limit_is_read(tmp_path: Path, size: int) -> None:
    path = tmp_path / "委员会.json"
    path.write_bytes(_json_of_size(size))
    assert path.stat().st_size == size
    assert inbound.read_json_file(path, max_bytes=LIMIT) == {"a": "x" * (size - 8)}


def test_a_file_just_over_the_limit_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "委员会.json"
    path.write_bytes(_json_of_size(LIMIT + 1))
    with pytest.raises(inbound.UnreadableFile, match=r"文件“委员会\.json”：.*上限") as caught:
        inbound.read_json_file(path, max_bytes=LIMIT)
    assert isinstance(caught.value, errors.ServiceError)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(inbound.UnreadableFile, match="文件夹"):
        inbound.read_json_file(tmp_path, max_bytes=LIMIT)


def test_text_not_in_utf8_is_refused_with_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "gbk.json"
    path.write_bytes('{"名称": 1}'.encode("gbk"))
    with pytest.raises(inbound.UnreadableFile, match="不是 UTF-8 编码的文本（第 3 个字节有误）"):
        inbound.read_json_file(path, max_bytes=LIMIT)


def test_broken_json_is_refused_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n"a": }', encoding="utf-8")
    with pytest.raises(inbound.UnreadableFile, match="第 2 行第 6 列"):
        inbound.read_json_file(path, max_bytes=LIMIT)


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text('{"a": 1, "a": 2}', encoding="utf-8")
    with pytest.raises(inbound.UnreadableFile, match="不能导入"):
        inbound.read_json_file(path, max_bytes=LIMIT)


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"a": 1}).encode())
    assert inbound.read_json_file(path, max_bytes=LIMIT) == {"a": 1}
