"""Start-up: what the first screen loads (and what it does not), the probe the benchmark uses, the
warm-up after the list, and the database opened on a thread of its own.

No timings here: benchmarks/bench_startup.py measures them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lzcenter_desktop.services.context import Opening
from lzcenter_desktop.storage.errors import READ_ONLY_MESSAGE, DatabaseReadOnly
from lzcenter_desktop.ui import app as app_module
from lzcenter_desktop.ui import startup_probe
from lzcenter_desktop.ui.main_window import MainWindow
from lzcenter_desktop.ui.tasks import running_tasks

REPO = Path(__file__).resolve().parents[2]

# Loaded later, when the clerk first needs them — never for the first screen.
HEAVY_ROOTS = {"reportlab", "openpyxl", "alembic", "sqlalchemy", "sqlmodel", "pydantic"}
HEAVY_MODULES = {
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "lzcenter_desktop.storage.models",
    "lzcenter_desktop.services.centers",
    "lzcenter_desktop.ui.declarations",
    "lzcenter_desktop.ui.declarations.wizard",
    "lzcenter_desktop.ui.documents",
    "lzcenter_desktop.ui.committees",
}

# The real start (the command line with no sub-command), stopped when the whole list is loaded.
REAL_START = """
import json, os, sys
from lzcenter_desktop.ui import startup_probe

def report(what, rows):
    if what == "loaded":
        print(json.dumps({"rows": rows, "modules": sorted(sys.modules)}), flush=True)
        os._exit(0)

startup_probe._Probe._print = staticmethod(report)
from lzcenter_desktop.cli import main
sys.exit(main(["--db", sys.argv[1]]))
"""

# The main window alone (no fonts, no command line) over the database, once the first screen's
# centre charts (概览, from the 中心 list) are read.
MAIN_WINDOW_ONLY = """
import json, sys, time
from PySide6.QtWidgets import QApplication
from lzcenter_desktop.ui.main_window import MainWindow
from lzcenter_desktop.services.context import open_app

app = QApplication([])
window = MainWindow(open_app(sys.argv[1]))
window.show()
page = window.page("概览")
deadline = time.monotonic() + 120
while not page.centres_ready and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.002)
rows = page.cards["state"].figure.total
print(json.dumps({"rows": rows, "modules": sorted(sys.modules)}), flush=True)
"""


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "LZCENTER_STARTUP_PROBE"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def _run(script: str, db: str, env: dict[str, str]) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", script, str(db)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return int(result["rows"]), set(result["modules"])


def _heavy(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in HEAVY_ROOTS or m in HEAVY_MODULES}


@pytest.fixture
def db_path(small_ctx) -> str:
    """The database as the command line names it: the file, or the server URL in the PostgreSQL run."""
    target = str(small_ctx.db.path) if small_ctx.db.path is not None else small_ctx.db.url
    small_ctx.db.dispose()
    return target


@pytest.mark.sqlite_only  # a child process given the file path (it has no test harness)
def test_the_real_start_loads_only_what_the_first_screen_needs(db_path: str) -> None:
    env = _environment()
    env["LZCENTER_STARTUP_PROBE"] = "1"
    rows, modules = _run(REAL_START, db_path, env)
    assert rows == 3
    assert {"PySide6.QtWidgets", "lzcenter_desktop.ui.dashboard.page"} <= modules  # the right process
    assert not _heavy(modules)
    # Of the documents package only the table of bundled fonts, which Qt registers at start.
    documents = {m for m in modules if m.startswith("lzcenter_desktop.documents.")}
    assert documents == {"lzcenter_desktop.documents.font_faces"}


@pytest.mark.sqlite_only  # a child process given the file path (it has no test harness)
def test_building_the_main_window_loads_no_heavy_module(db_path: str) -> None:
    rows, modules = _run(MAIN_WINDOW_ONLY, db_path, _environment())
    assert rows == 3
    assert "lzcenter_desktop.ui.main_window" in modules
    assert not _heavy(modules)
    assert not {m for m in modules if m.split(".")[:2] == ["lzcenter_desktop", "documents"]}


@pytest.mark.sqlite_only  # a child process given the file path (it has no test harness)
def test_the_probe_reports_painted_loaded_idle_and_the_application_quits(db_path: str) -> None:
    env = _environment()
    env["LZCENTER_STARTUP_PROBE"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "lzcenter_desktop", "--db", str(db_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line.split() for line in done.stdout.splitlines() if line.startswith(startup_probe.ENV)]
    assert [words[1] for words in lines] == ["painted", "loaded", "idle"]
    fields = [dict(w.split("=", 1) for w in words[2:]) for words in lines]
    assert [f["rows"] for f in fields] == ["3", "3", "3"]
    times = [float(f["ms"]) for f in fields]
    assert 0 < times[0] <= times[1] <= times[2]
    peaks = [int(f["peak_kib"]) for f in fields]
    assert 0 < peaks[0] <= peaks[1] <= peaks[2]


def test_the_probe_is_off_unless_the_variable_is_exactly_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(startup_probe.ENV, raising=False)
    assert startup_probe.enabled() is False
    for value, expected in (("0", False), ("", False), ("yes", False), ("1", True)):
        monkeypatch.setenv(startup_probe.ENV, value)
        assert startup_probe.enabled() is expected


def test_the_probe_in_process_prints_its_lines_and_closes_the_window(qtbot, small_ctx, capsys) -> None:
    window = MainWindow(small_ctx)
    qtbot.addWidget(window)
    startup_probe.install(window, settle_ms=0)
    window.show()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
    words = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert [w[:2] for w in words] == [[startup_probe.ENV, what] for what in ("painted", "loaded", "idle")]


def test_the_warm_up_runs_once_after_the_first_charts_arrive(qtbot, small_ctx, monkeypatch) -> None:
    ran: list[str] = []
    monkeypatch.setattr(app_module, "WARM_UP_DELAY_MS", 0)
    monkeypatch.setattr(app_module, "warm_up", lambda: ran.append("warm"))
    window = MainWindow(small_ctx)
    qtbot.addWidget(window)
    app_module.schedule_warm_up(window)
    assert ran == []
    window.show()
    qtbot.waitUntil(lambda: ran == ["warm"])
    page = window.page("概览")
    with qtbot.waitSignal(page.cards["state"].loaded):
        page.reload()
    window.wait_until_idle()
    assert ran == ["warm"]


def test_warm_up_imports_the_data_layer() -> None:
    script = (
        "import sys\n"
        "from lzcenter_desktop.ui.app import warm_up\n"
        "before = 'sqlalchemy' in sys.modules, 'lzcenter_desktop.services.centers' in sys.modules\n"
        "warm_up()\n"
        "after = 'sqlalchemy' in sys.modules, 'lzcenter_desktop.services.centers' in sys.modules\n"
        "print(before, after)\n"
    )
    argv = [sys.executable, "-c", script]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split("\n")[0] == "(False, False) (True, True)"


def test_run_gui_takes_the_context_from_the_opening(qapp, db_path: str, monkeypatch) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    seen: list[int] = []

    def close_when_loaded() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        page = windows[0].page("概览") if windows else None
        if page is not None and not page.loading and running_tasks() == 0:
            seen.append(page.cards["state"].figure.total)
            windows[0].close()
        else:
            QTimer.singleShot(10, close_when_loaded)

    opening = Opening(db_path)  # as the command line starts it, before Qt is loaded
    opening.result()
    monkeypatch.setattr("lzcenter_desktop.services.context.open_app", _refuse_second_open)
    QTimer.singleShot(0, close_when_loaded)
    code = app_module.run_gui(db_path, opening=opening)
    assert code == 0
    assert seen == [3]


def _refuse_second_open(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("run_gui opened the database again instead of using the opening")


def test_a_problem_of_the_opening_is_shown_at_start(qapp, monkeypatch) -> None:
    shown = []

    class Refused:
        def result(self) -> None:
            raise DatabaseReadOnly(READ_ONLY_MESSAGE)

    monkeypatch.setattr(app_module, "show_environment_problem", lambda p, parent, block: shown.append(p))
    code = app_module.run_gui("/nowhere/x.sqlite", opening=Refused())  # type: ignore[arg-type]
    assert code == DatabaseReadOnly.exit_code
    assert [p.title for p in shown] == ["数据库只读"]
