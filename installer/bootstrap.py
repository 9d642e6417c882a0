#!/usr/bin/env python3
"""Set everything up, then launch the application or run the whole test suite.

    python3 installer/bootstrap.py run     # demo database + main window
    python3 installer/bootstrap.py test    # ruff, mypy, import contracts, pytest on SQLite
                                           # and on a private PostgreSQL server

Both are idempotent: the virtual environment (.venv) is created once and
re-installed only when pyproject.toml changes; Debian libraries that Qt and the
tests need are installed only when missing. Uses nothing but the standard
library, so it runs on a fresh Python 3.11 (Linux or Windows).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
IS_WINDOWS = sys.platform == "win32"

# Shared libraries the Qt wheels load, mapped to the Debian packages that provide them
# (first name for Debian 12, then alternatives used by later releases).
DEBIAN_LIBS: dict[str, tuple[str, ...]] = {
    "libGL.so.1": ("libgl1",),
    "libEGL.so.1": ("libegl1",),
    "libGLX.so.0": ("libglx0",),
    "libOpenGL.so.0": ("libopengl0",),
    "libfontconfig.so.1": ("libfontconfig1",),
    "libfreetype.so.6": ("libfreetype6",),
    "libglib-2.0.so.0": ("libglib2.0-0", "libglib2.0-0t64"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "libglib2.0-0t64"),
    "libdbus-1.so.3": ("libdbus-1-3",),
    "libxkbcommon.so.0": ("libxkbcommon0",),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0",),
    "libX11.so.6": ("libx11-6",),
    "libX11-xcb.so.1": ("libx11-xcb1",),
    "libxcb.so.1": ("libxcb1",),
    "libxcb-cursor.so.0": ("libxcb-cursor0",),
    "libxcb-icccm.so.4": ("libxcb-icccm4",),
    "libxcb-image.so.0": ("libxcb-image0",),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1",),
    "libxcb-randr.so.0": ("libxcb-randr0",),
    "libxcb-render-util.so.0": ("libxcb-render-util0",),
    "libxcb-render.so.0": ("libxcb-render0",),
    "libxcb-shape.so.0": ("libxcb-shape0",),
    "libxcb-shm.so.0": ("libxcb-shm0",),
    "libxcb-sync.so.1": ("libxcb-sync1",),
    "libxcb-util.so.1": ("libxcb-util1",),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0",),
    "libxcb-xkb.so.1": ("libxcb-xkb1",),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0",),
    "libpng16.so.16": ("libpng16-16", "libpng16-16t64"),
    "libz.so.1": ("zlib1g",),
    "libwayland-client.so.0": ("libwayland-client0",),
    "libwayland-cursor.so.0": ("libwayland-cursor0",),
    "libwayland-egl.so.1": ("libwayland-egl1",),
}
# Programs the tests call (PDF inspection) and the frozen build needs (PyInstaller's binary
# analysis; the ICU data trim of installer/icu_trim.py), by Debian package.
TEST_PROGRAMS: dict[str, str] = {
    "pdffonts": "poppler-utils",
    "pdftotext": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "readelf": "binutils",
    "objdump": "binutils",
    "icupkg": "icu-devtools",
    "cc": "gcc",
}


def say(message: str) -> None:
    print(f"[bootstrap] {message}", flush=True)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if IS_WINDOWS else "bin/python")


def run(cmd: list[str], **kwargs: object) -> None:
    say("$ " + " ".join(str(c) for c in cmd))
    subprocess.run(cmd, check=True, **kwargs)  # type: ignore[call-overload]


def ensure_venv() -> Path:
    python = venv_python()
    healthy = (
        python.exists()
        and subprocess.run(
            [str(python), "-c", "import sys; sys.exit(sys.version_info < (3, 11))"], capture_output=True
        ).returncode
        == 0
    )
    if not healthy:
        if VENV.exists():
            shutil.rmtree(VENV)
        say(f"creating the virtual environment in {VENV}")
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        except (subprocess.CalledProcessError, OSError):
            # Debian's own python3 ships venv/ensurepip separately (python3.11-venv).
            if not sys.platform.startswith("linux") or not shutil.which("apt-get"):
                raise
            version = f"{sys.version_info.major}.{sys.version_info.minor}"
            _apt_install([f"python{version}-venv|python3-venv"])
            venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    return python


def ensure_installed(python: Path, extras: str) -> None:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".installed-{extras or 'base'}"
    if stamp.exists() and stamp.read_text().strip() == digest:
        return
    target = f".[{extras}]" if extras else "."
    run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", target], cwd=ROOT)
    stamp.write_text(digest)


def _missing_sonames(python: Path) -> set[str]:
    """Shared libraries the installed Qt wheel needs but the system lacks (ldd 'not found')."""
    out = subprocess.run(
        [str(python), "-c", "import PySide6, pathlib; print(pathlib.Path(PySide6.__file__).parent)"],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0 or not shutil.which("ldd"):
        return set()
    qt = Path(out.stdout.strip()) / "Qt"
    candidates = [
        *sorted((qt / "lib").glob("libQt6Gui.so*")),
        *sorted((qt / "lib").glob("libQt6Widgets.so*")),
        *sorted((qt / "lib").glob("libQt6XcbQpa.so*")),
        *sorted((qt / "plugins" / "platforms").glob("*.so")),
    ]
    missing: set[str] = set()
    for lib in candidates:
        result = subprocess.run(["ldd", str(lib)], capture_output=True, text=True)
        for line in result.stdout.splitlines():
            if "not found" in line:
                missing.add(line.split()[0])
    return missing


def _apt_install(packages: list[str]) -> None:
    if not packages:
        return
    if not shutil.which("apt-get"):
        say("missing system packages (install them with your package manager): " + " ".join(packages))
        return
    prefix: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        if shutil.which("sudo"):
            prefix = ["sudo"]
        else:
            say("not root and no sudo; please install: " + " ".join(packages))
            return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run([*prefix, "apt-get", "update", "-qq"], env=env)
    for group in packages:
        alternatives = group.split("|")
        for name in alternatives:
            result = subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", name], env=env)
            if result.returncode == 0:
                break
        else:
            raise SystemExit(f"[bootstrap] could not install {group}")


def ensure_system_packages(python: Path, *, for_tests: bool) -> None:
    if not sys.platform.startswith("linux"):
        return
    wanted: list[str] = []
    for soname in sorted(_missing_sonames(python)):
        names = DEBIAN_LIBS.get(soname)
        if names:
            group = "|".join(names)
            if group not in wanted:
                wanted.append(group)
        else:
            say(f"warning: {soname} is missing and has no known Debian package")
    if for_tests:
        for program, package in TEST_PROGRAMS.items():
            if not shutil.which(program) and package not in wanted:
                wanted.append(package)
    _apt_install(wanted)


def setup(*, for_tests: bool) -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - a fresh machine's python3 may be older
        raise SystemExit("需要 Python 3.11 或更高版本 / Python 3.11+ is required")
    python = ensure_venv()
    ensure_installed(python, "test,build" if for_tests else "")
    ensure_system_packages(python, for_tests=for_tests)
    return python


def cmd_run(extra: list[str]) -> int:
    python = setup(for_tests=False)
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if headless and os.environ.get("QT_QPA_PLATFORM") is None:
        say("no display found (DISPLAY/WAYLAND_DISPLAY unset). Run it under a desktop session, or e.g.")
        say("  xvfb-run -a python3 installer/bootstrap.py run")
        return 1
    return subprocess.call([str(python), "-m", "lzcenter_desktop", "demo", "--open", *extra], cwd=ROOT)


def cmd_test(extra: list[str]) -> int:
    """ruff, mypy, the import contracts, then the whole pytest suite twice: on SQLite files and on
    a private PostgreSQL server (installer/pg_test_server.py; tests/db_backend.py). The two runs
    go side by side (two processes); the PostgreSQL run's output is kept in a log and shown when
    it ends. Last, the frozen bundle is built and its selftest run from a folder named with
    Chinese characters and a space, its size checked against the budget (installer/build.py;
    the compressed archive is left to the release build), so the frozen path cannot break
    unnoticed. Extra arguments go to pytest; with any, the frozen build is left out."""
    python = setup(for_tests=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    bin_dir = python.parent
    steps: list[tuple[str, list[str]]] = [
        ("ruff", [str(python), "-m", "ruff", "check", "."]),
        ("mypy", [str(python), "-m", "mypy", "lzcenter_desktop"]),
        ("import contracts", [str(bin_dir / ("lint-imports.exe" if IS_WINDOWS else "lint-imports"))]),
    ]
    for name, cmd in steps:
        say(f"== {name} ==")
        code = subprocess.call(cmd, cwd=ROOT, env=env)
        if code != 0:
            say(f"{name} failed (exit {code})")
            return code
    pytest_cmd = [str(python), "-m", "pytest", "-p", "no:cacheprovider", *extra]
    pg_url = _start_test_server()
    pg_run: subprocess.Popen[bytes] | None = None
    log = ROOT / ".cache" / "pytest-postgresql.log"
    if pg_url is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        pg_env = dict(env, LZCENTER_TEST_BACKEND="postgresql", LZCENTER_TEST_PG_URL=pg_url)
        say("== pytest on PostgreSQL (in the background; log: .cache/pytest-postgresql.log) ==")
        with log.open("wb") as out:
            pg_run = subprocess.Popen(pytest_cmd, cwd=ROOT, env=pg_env, stdout=out, stderr=subprocess.STDOUT)
    say("== pytest on SQLite ==")
    code = subprocess.call(pytest_cmd, cwd=ROOT, env=env)
    if code != 0:
        say(f"pytest on SQLite failed (exit {code})")
    if pg_run is not None:
        pg_code = pg_run.wait()
        text = log.read_text(encoding="utf-8", errors="replace")
        say("== pytest on PostgreSQL: " + ("passed ==" if pg_code == 0 else f"failed (exit {pg_code}) =="))
        print(text if pg_code != 0 else "\n".join(text.splitlines()[-15:]), flush=True)
        _stop_test_server()
        if code == 0 and pg_code != 0:
            code = pg_code
    if not extra:
        say("== frozen bundle: build, selftest, size (installer/build.py --no-archive) ==")
        build_code = subprocess.call(
            [str(python), str(ROOT / "installer" / "build.py"), "--no-archive"], cwd=ROOT, env=env
        )
        if build_code != 0:
            say(f"frozen build failed (exit {build_code})")
            code = code or build_code
    return code


def _start_test_server() -> str | None:
    """The URL of the private PostgreSQL test server, started now; None (said loudly) where
    PostgreSQL cannot be had (a Windows machine without it): the suite then runs on SQLite only."""
    script = ROOT / "installer" / "pg_test_server.py"
    result = subprocess.run([sys.executable, str(script), "start"], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        if sys.platform.startswith("linux"):
            raise SystemExit("[bootstrap] could not start the PostgreSQL test server")
        say("WARNING: no PostgreSQL here; the suite runs on SQLite only (CI runs both)")
        return None
    return result.stdout.strip().splitlines()[-1]


def _stop_test_server() -> None:
    script = ROOT / "installer" / "pg_test_server.py"
    subprocess.run([sys.executable, str(script), "stop"], cwd=ROOT, check=False)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "setup"}:
        print(__doc__)
        return 2
    command, extra = argv[0], argv[1:]
    if command == "run":
        return cmd_run(extra)
    if command == "test":
        return cmd_test(extra)
    setup(for_tests=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
