"""installer/build.py, its pure parts: size accounting, the budget, the version, the spec's lists.
(No PyInstaller run here: `python installer/build.py` builds and smoke-tests the bundle.)"""

from __future__ import annotations

import tarfile
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

MB = 1_000_000


@pytest.mark.parametrize(
    ("installed", "over"),
    [(149_900_000, False), (150 * MB, False), (150 * MB + 1, True), (150_100_000, True)],
)
def test_installed_budget_boundary(build: ModuleType, installed: int, over: bool) -> None:
    problems = build.budget_problems(installed, 10 * MB)
    assert bool(problems) is over
    if over:
        assert "安装后文件夹" in problems[0] and "150 MB" in problems[0]


@pytest.mark.parametrize(
    ("compressed", "over"),
    [(69_900_000, False), (70 * MB, False), (70 * MB + 1, True), (70_100_000, True)],
)
def test_compressed_budget_boundary(build: ModuleType, compressed: int, over: bool) -> None:
    problems = build.budget_problems(100 * MB, compressed)
    assert bool(problems) is over
    if over:
        assert "压缩包" in problems[0] and "70 MB" in problems[0]


def test_both_over_budget_are_both_reported(build: ModuleType) -> None:
    assert len(build.budget_problems(150_100_000, 70_100_000)) == 2


def test_megabytes_are_decimal(build: ModuleType) -> None:
    assert build.megabytes(149_900_000) == "149.9 MB"
    assert build.megabytes(150_000_000) == "150.0 MB"
    assert build.megabytes(150_100_000) == "150.1 MB"


def test_folder_size_counts_every_file_once(build: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "测试 目录" / "sub").mkdir(parents=True)
    (tmp_path / "a.bin").write_bytes(b"x" * 1000)
    (tmp_path / "测试 目录" / "sub" / "b.bin").write_bytes(b"y" * 234)
    (tmp_path / "测试 目录" / "empty.txt").write_bytes(b"")
    assert build.folder_size(tmp_path) == 1234


def test_a_symbolic_link_is_not_followed(build: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "lib.so.6").write_bytes(b"z" * 5000)
    (tmp_path / "lib.so").symlink_to("lib.so.6")
    link_size = (tmp_path / "lib.so").lstat().st_size
    assert build.folder_size(tmp_path) == 5000 + link_size < 2 * 5000


def test_version_from_pyproject(build: ModuleType, tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\nversion = " 1.4.2 "\n', encoding="utf-8")
    assert build.read_version(pyproject) == "1.4.2"


def test_the_real_version_is_the_packages(build: ModuleType) -> None:
    from lzcenter_desktop import __version__

    assert build.read_version() == __version__


def test_missing_version_is_named_in_chinese(build: ModuleType, tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="版本号"):
        build.read_version(pyproject)


@pytest.mark.parametrize(
    ("version", "numeric"),
    [
        ("0.1.0", "0.1.0.0"),
        ("1.2.3.4", "1.2.3.4"),
        ("1.2.3rc1", "1.2.3.0"),
        ("2", "2.0.0.0"),
        ("1.10", "1.10.0.0"),
    ],
)
def test_numeric_version_for_windows(build: ModuleType, version: str, numeric: str) -> None:
    assert build.numeric_version(version) == numeric


def test_version_include_for_inno_setup(build: ModuleType, tmp_path: Path) -> None:
    path = build.write_version_include("1.2.3rc1", tmp_path / "version.iss")
    text = path.read_text(encoding="utf-8")
    assert '#define AppVersion "1.2.3rc1"' in text
    assert '#define AppVersionNumeric "1.2.3.0"' in text


SPEC_SAMPLE = """
import sys
EXCLUDED_MODULES = ["tkinter", "PIL._avif"]  # comment
EXCLUDED_BINARIES = [
    "*/plugins/tls/*",
]
OTHER = ["not read"]
KEPT_TRANSLATIONS = []
a = Analysis(excludes=EXCLUDED_MODULES)
"""


def test_spec_lists_are_read_without_running_the_spec(build: ModuleType) -> None:
    lists = build.spec_lists(SPEC_SAMPLE)
    assert lists == {
        "EXCLUDED_MODULES": ["tkinter", "PIL._avif"],
        "EXCLUDED_BINARIES": ["*/plugins/tls/*"],
        "KEPT_TRANSLATIONS": [],
    }


def test_a_spec_list_that_is_not_literal_strings_is_refused(build: ModuleType) -> None:
    with pytest.raises(ValueError, match="EXCLUDED_MODULES"):
        build.spec_lists('EXCLUDED_MODULES = ["a", 1]\n')


def test_test_folder_has_chinese_characters_and_a_space(build: ModuleType, tmp_path: Path) -> None:
    folder = build.test_folder(tmp_path)
    assert folder.parent.name == "测试 目录" and folder.name == "lzcenter-desktop"


@pytest.mark.parametrize(
    ("platform", "formats", "suffix"),
    [("win32", ["xztar", "zip"], "windows.zip"), ("linux", ["xztar"], "linux.tar.xz")],
)
def test_archives_per_platform(build: ModuleType, platform: str, formats: list[str], suffix: str) -> None:
    assert build.archive_formats(platform) == formats
    assert build.archive_name("0.1.0", formats[-1], platform) == f"lzcenter-desktop-0.1.0-{suffix}"


@pytest.mark.parametrize("fmt", ["xztar", "zip"])
def test_archive_holds_the_folder_under_its_name(build: ModuleType, tmp_path: Path, fmt: str) -> None:
    bundle = tmp_path / "lzcenter-desktop"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "_internal" / "数据.txt").write_text("内容", encoding="utf-8")
    archive = build.make_archive(bundle, tmp_path / ("out.tar.xz" if fmt == "xztar" else "out.zip"), fmt)
    if fmt == "xztar":
        with tarfile.open(archive) as tar:
            names = tar.getnames()
    else:
        with zipfile.ZipFile(archive) as zf:
            names = [name.rstrip("/") for name in zf.namelist()]
    assert "lzcenter-desktop/_internal/数据.txt" in names


def test_without_pyinstaller_if_available_skips_and_passes(
    build: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(build, "pyinstaller_available", lambda: False)
    assert build.build(build.parse_args(["--if-available"])) == 0
    assert "跳过冻结构建" in capsys.readouterr().out
    assert build.build(build.parse_args([])) == 2


def test_options(build: ModuleType, tmp_path: Path) -> None:
    args = build.parse_args(["--skip-selftest", "--keep", "--no-archive", "--dist", str(tmp_path)])
    assert args.skip_selftest and args.keep and args.no_archive and args.dist == tmp_path
    defaults = build.parse_args([])
    assert not (defaults.skip_selftest or defaults.keep or defaults.no_archive or defaults.if_available)
    assert defaults.dist == build.ROOT / "dist"
