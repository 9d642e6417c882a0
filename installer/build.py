"""Build the one-folder bundle, smoke-test it frozen and check its size (stdlib + PyInstaller).

    python installer/build.py [--skip-selftest] [--no-archive] [--keep] [--dist DIR] [--if-available]

1. PyInstaller builds ``installer/lzcenter.spec`` into ``DIR/lzcenter-desktop`` (default ``dist/``;
   its work files, a cache that makes the next build faster, go to ``build/pyinstaller``).
2. The bundle is copied into a folder whose path has Chinese characters and a space
   (``<temp>/测试 目录/lzcenter-desktop``) and its ``selftest`` runs there, offscreen.
3. The folder size and the compressed size (``.tar.xz`` — LZMA like the setup program — and on
   Windows also the ``.zip`` that CI uploads; both written to ``DIR``) are printed against the
   budget: at most 150 MB installed and 70 MB compressed (1 MB = 1,000,000 bytes).
4. ``installer/version.iss`` (the version for the Inno Setup script) is written from pyproject.toml.

The exit status is 0 only when the build, the frozen selftest and both budgets pass.
``--if-available`` (for CI): when PyInstaller is not installed, say so and exit 0 without building.
``--no-archive``: no archives and no compressed budget (compressing takes minutes); the installed
budget and the selftest still decide the exit status.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "lzcenter.spec"
PYPROJECT = ROOT / "pyproject.toml"
VERSION_INCLUDE = ROOT / "installer" / "version.iss"
BUNDLE_NAME = "lzcenter-desktop"
EXECUTABLE = BUNDLE_NAME + (".exe" if sys.platform == "win32" else "")
TEST_FOLDER_NAME = "测试 目录"
SPEC_LISTS = (
    "EXCLUDED_MODULES",
    "EXCLUDED_BINARIES",
    "HOST_LIBRARIES",
    "KEPT_TRANSLATIONS",
    "EXCLUDED_DATAS",
    "SHARED_LIBRARIES",
)
MB = 1_000_000
SELFTEST_TIMEOUT_S = 900


@dataclass(frozen=True)
class Budget:
    installed_mb: float = 150.0
    compressed_mb: float = 70.0


BUDGET = Budget()


def megabytes(size: int) -> str:
    """A byte count as megabytes with one decimal: 149_950_000 → '150.0 MB' (rounded for display)."""
    return f"{size / MB:.1f} MB"


def folder_size(folder: Path) -> int:
    """The bytes of every file under ``folder`` (a symbolic link counts as itself, not its target)."""
    total = 0
    for directory, _dirs, files in os.walk(folder):
        for name in files:
            total += (Path(directory) / name).lstat().st_size
    return total


def budget_problems(installed: int, compressed: int, budget: Budget = BUDGET) -> list[str]:
    """What is over the budget (empty when within); a size exactly at the limit is within."""
    problems = []
    if installed > budget.installed_mb * MB:
        problems.append(
            f"安装后文件夹 {megabytes(installed)}（{installed} 字节）超过上限 {budget.installed_mb:g} MB："
            "请在 installer/lzcenter.spec 中排除未使用的模块或库"
        )
    if compressed > budget.compressed_mb * MB:
        problems.append(
            f"压缩包 {megabytes(compressed)}（{compressed} 字节）超过上限 {budget.compressed_mb:g} MB："
            "请在 installer/lzcenter.spec 中排除未使用的模块或库"
        )
    return problems


def read_version(pyproject: Path = PYPROJECT) -> str:
    """``[project] version`` of pyproject.toml."""
    with pyproject.open("rb") as handle:
        data = tomllib.load(handle)
    version = data.get("project", {}).get("version")
    if not isinstance(version, str) or not version.strip():
        raise ValueError(
            f'{pyproject.name} 的 [project] 中没有 version（版本号），请补上，例如 version = "0.1.0"'
        )
    return version.strip()


def numeric_version(version: str) -> str:
    """Four numbers for Windows file version information: '0.1.0' → '0.1.0.0', '1.2.3rc1' → '1.2.3.0'."""
    numbers: list[str] = []
    for part in version.split(".")[:4]:
        digits = ""
        for char in part:
            if not char.isdigit():
                break
            digits += char
        numbers.append(str(int(digits)) if digits else "0")
        if digits != part:
            break
    numbers += ["0"] * (4 - len(numbers))
    return ".".join(numbers)


def version_include(version: str) -> str:
    """The text of installer/version.iss."""
    return (
        "; Written by installer/build.py from pyproject.toml; do not edit.\n"
        f'#define AppVersion "{version}"\n'
        f'#define AppVersionNumeric "{numeric_version(version)}"\n'
    )


def write_version_include(version: str, path: Path = VERSION_INCLUDE) -> Path:
    path.write_text(version_include(version), encoding="utf-8")
    return path


def spec_lists(spec_text: str) -> dict[str, list[str]]:
    """The literal lists of module-level assignments ``NAME = [...]`` of a spec (EXCLUDED_MODULES …)."""
    found: dict[str, list[str]] = {}
    for node in ast.parse(spec_text).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in SPEC_LISTS:
                value = ast.literal_eval(node.value)
                if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                    raise ValueError(f"{name} in the spec must be a list of strings")
                found[name] = value
    return found


def test_folder(base: Path) -> Path:
    """Where the frozen selftest runs: ``<base>/测试 目录/lzcenter-desktop``."""
    return base / TEST_FOLDER_NAME / BUNDLE_NAME


def archive_formats(platform: str = sys.platform) -> list[str]:
    """The archives written: .tar.xz everywhere (its size is budgeted), and .zip on Windows (for CI)."""
    return ["xztar", "zip"] if platform == "win32" else ["xztar"]


def archive_name(version: str, fmt: str, platform: str = sys.platform) -> str:
    system = "windows" if platform == "win32" else platform.rstrip("0123456789")
    return f"{BUNDLE_NAME}-{version}-{system}" + (".tar.xz" if fmt == "xztar" else ".zip")


def make_archive(bundle: Path, target: Path, fmt: str) -> Path:
    """``bundle`` (a folder) compressed into ``target`` with the folder's name at the top."""
    target.unlink(missing_ok=True)
    if fmt == "xztar":
        with tarfile.open(target, "w:xz", preset=6) as archive:
            archive.add(bundle, arcname=bundle.name)
    else:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for path in sorted(bundle.rglob("*")):
                archive.write(path, Path(bundle.name) / path.relative_to(bundle))
    return target


def pyinstaller_available() -> bool:
    return importlib.util.find_spec("PyInstaller") is not None


def run_pyinstaller(dist: Path, work: Path) -> Path:
    command = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm"]
    command += ["--distpath", str(dist), "--workpath", str(work), "--log-level", "WARN"]
    print("构建：" + " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT)
    return dist / BUNDLE_NAME


def run_selftest(folder: Path) -> int:
    """The frozen ``selftest`` from ``folder`` (offscreen, UTF-8 output); its exit status."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUTF8="1", PYTHONIOENCODING="utf-8")
    print(f"冻结自检：{folder / EXECUTABLE} selftest", flush=True)
    result = subprocess.run(
        [str(folder / EXECUTABLE), "selftest"],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=SELFTEST_TIMEOUT_S,
        check=False,
    )
    sys.stdout.write(result.stdout.decode("utf-8", errors="replace"))
    sys.stdout.flush()
    return result.returncode


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="构建单文件夹程序包，冻结自检，并检查体积预算。")
    parser.add_argument(
        "--dist", type=Path, default=ROOT / "dist", help="程序包和压缩包的输出文件夹（默认 dist/）"
    )
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller 的工作文件夹"
    )
    parser.add_argument("--skip-selftest", action="store_true", help="不运行冻结自检")
    parser.add_argument(
        "--no-archive",
        action="store_true",
        help="不生成压缩包、不检查压缩后体积（压缩 150 MB 需数分钟；安装后体积仍检查）",
    )
    parser.add_argument("--keep", action="store_true", help="保留“测试 目录”中的副本（默认删除）")
    parser.add_argument(
        "--if-available", action="store_true", help="未安装 PyInstaller 时跳过并返回 0（供 CI 使用）"
    )
    return parser.parse_args(argv)


def build(args: argparse.Namespace) -> int:
    """The whole build (see the module's docstring); the exit status."""
    if not pyinstaller_available():
        message = f"未安装 PyInstaller：请先运行 {sys.executable} -m pip install -e .[build]"
        print(("跳过冻结构建（" + message + "）") if args.if_available else message, flush=True)
        return 0 if args.if_available else 2
    started = time.monotonic()
    version = read_version()
    write_version_include(version)
    dist = args.dist.resolve()
    try:
        bundle = run_pyinstaller(dist, args.work.resolve())
    except subprocess.CalledProcessError as exc:
        print(f"✗ PyInstaller 构建失败（退出码 {exc.returncode}），原因见上面的输出")
        return 1
    built_s = time.monotonic() - started
    lists = spec_lists(SPEC.read_text(encoding="utf-8"))
    print(f"构建完成（{built_s:.0f} 秒）：{bundle}")
    print("排除：" + "，".join(f"{name} {len(items)} 项" for name, items in lists.items()))

    failures: list[str] = []
    if not args.skip_selftest:
        base = Path(tempfile.mkdtemp(prefix="lzcenter-build-"))
        folder = test_folder(base)
        try:
            shutil.copytree(bundle, folder, symlinks=True)
            status = run_selftest(folder)
            if status != 0:
                failures.append(f"冻结自检失败（退出码 {status}），输出见上")
        finally:
            if args.keep:
                print(f"自检副本保留在：{folder}")
            else:
                shutil.rmtree(base, ignore_errors=True)
        print(f"冻结自检用时 {time.monotonic() - started - built_s:.0f} 秒")

    installed = folder_size(bundle)
    compressed = 0
    for fmt in [] if args.no_archive else archive_formats():
        archive = make_archive(bundle, dist / archive_name(version, fmt), fmt)
        size = archive.stat().st_size
        print(f"压缩包 {archive.name}：{megabytes(size)}")
        if fmt == "xztar":
            compressed = size
    print(f"安装后文件夹：{megabytes(installed)}（上限 {BUDGET.installed_mb:g} MB）")
    if args.no_archive:
        print("未生成压缩包（--no-archive），压缩后体积未检查")
    else:
        print(f"压缩后（.tar.xz）：{megabytes(compressed)}（上限 {BUDGET.compressed_mb:g} MB）")
    failures += budget_problems(installed, compressed)
    print(f"总用时 {time.monotonic() - started:.0f} 秒")
    for failure in failures:
        print("✗ " + failure)
    print("构建通过" if not failures else f"构建失败：{len(failures)} 项")
    return 0 if not failures else 1


def main(argv: Sequence[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")
    return build(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
