"""``LZCENTER_STARTUP_PROBE=1``: report how long start-up took, then quit (benchmarks/bench_startup.py).

When the variable is ``1`` the application prints three lines to standard output and exits::

    LZCENTER_STARTUP_PROBE painted ms=371.0 rows=60 peak_kib=88120
    LZCENTER_STARTUP_PROBE loaded ms=402.0 rows=10000 peak_kib=95312
    LZCENTER_STARTUP_PROBE idle ms=1490.0 rows=10000 peak_kib=160204

``painted``: the first screen (概览) has painted its centre chart and the event loop is free again
(a key pressed now is handled); ``loaded``: its three centre charts (from the whole 中心 list)
are read; ``idle``: the work started after them (its counts, importing the rest of the data
layer) is done too. ``rows`` is the number of centres counted. ``ms`` counts from the moment the process
started (as Linux records it; elsewhere from the first import of this module), ``peak_kib`` is
the process's peak memory so far. Nothing changes when the variable is unset.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer

ENV = "LZCENTER_STARTUP_PROBE"

_T0 = time.perf_counter()  # fallback origin


def enabled() -> bool:
    return os.environ.get(ENV) == "1"


def process_age_ms() -> float:
    """Milliseconds since the process started (Linux: /proc; elsewhere since this module loaded)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: start, in ticks after boot
        with open("/proc/uptime", encoding="ascii") as handle:
            uptime = float(handle.read().split()[0])
        return max(0.0, (uptime - started) * 1000.0)
    except (OSError, ValueError, IndexError, AttributeError):
        return (time.perf_counter() - _T0) * 1000.0


def peak_kib() -> int:
    """The process's peak resident memory in KiB (Linux: VmHWM; elsewhere ``ru_maxrss``, 0 if unknown)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    except (ImportError, OSError):
        return 0


class _Probe(QObject):
    def __init__(self, window: Any, settle_ms: int) -> None:
        super().__init__(window)
        self.window = window
        self.page = window.page("概览")
        self.card = self.page.cards["state"]
        self.settle_ms = settle_ms
        self.painted = False
        for shown in (self.card.view.viewport(), self.card.message):  # the chart, or "no centres yet"
            shown.installEventFilter(self)

    def _rows(self) -> int:
        figure = self.card.figure
        return int(figure.total) if figure is not None else 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.painted and event.type() == QEvent.Type.Paint and self.card.figure is not None:
            self.painted = True
            QTimer.singleShot(0, self._report_painted)  # runs once the loop takes events again
        return False

    def _report_painted(self) -> None:
        self._print("painted", self._rows())
        self._wait_for_load()

    def _wait_for_load(self) -> None:
        if not self.page.centres_ready:
            QTimer.singleShot(5, self._wait_for_load)
            return
        self._print("loaded", self._rows())
        QTimer.singleShot(self.settle_ms, self._wait_for_idle)

    def _wait_for_idle(self) -> None:
        from lzcenter_desktop.ui.tasks import running_tasks

        if running_tasks():
            QTimer.singleShot(10, self._wait_for_idle)
            return
        self._print("idle", self._rows())
        self.window.close()

    @staticmethod
    def _print(what: str, rows: int) -> None:
        try:
            sys.stdout.write(f"{ENV} {what} ms={process_age_ms():.1f} rows={rows} peak_kib={peak_kib()}\n")
            sys.stdout.flush()
        except (OSError, ValueError):  # nobody reads any more (a closed pipe): the probe still ends
            pass


def install(window: Any, *, settle_ms: int = 0) -> None:
    """Watch ``window``'s first screen (see the module docstring); after its charts are read, wait
    ``settle_ms`` for work the application starts later, then for every background task."""
    _Probe(window, settle_ms)
