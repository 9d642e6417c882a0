"""The demo database as a file: built beside the old one and swapped in only when complete.

``lzcenter-desktop demo --rebuild`` (and a first ``demo``) builds the whole dataset into a
temporary file in the same folder. Only a finished, checked build is renamed into place; the old
demo database is first renamed to ``<stem>.YYYYmmdd-HHMMSS.bak<suffix>`` (never deleted). If the
build fails or is interrupted, the old file is untouched and the temporary file is removed.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lzcenter_desktop.services import demo
from lzcenter_desktop.services.context import open_app
from lzcenter_desktop.storage.errors import classify
from lzcenter_desktop.storage.integrity import run_check

_COMPANIONS = ("-wal", "-shm", "-journal")


@dataclass(frozen=True, slots=True)
class DemoFileReport:
    path: Path
    old_kept_as: Path | None  # the previous demo database, renamed; None when there was none
    summary: demo.DemoSummary


def _remove_with_companions(path: Path) -> None:
    for suffix in ("", *_COMPANIONS):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink()


def _finish_file(path: Path) -> None:
    """Fold the WAL into the file and check it: the result is one standalone, sound file."""
    con = sqlite3.connect(str(path), isolation_level=None)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode = DELETE")
        problems = run_check(con, full=True)
    finally:
        con.close()
    if problems:
        raise RuntimeError(f"新生成的演示数据库未通过完整性检查：{problems[:3]}")


def _kept_name(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.{stamp}.bak{path.suffix}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}.{stamp}-{n}.bak{path.suffix}")
    return candidate


def build_demo_file(path: Path, *, seed: int = 2026) -> DemoFileReport:
    """Build the demo database into a temporary file beside ``path``, then swap it in.

    An existing ``path`` is kept, renamed to ``<stem>.<stamp>.bak<suffix>``, but only after the new
    database is complete. On any failure ``path`` is as it was and no temporary file remains.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(
            prefix=f".{path.stem}-", suffix=f".building{path.suffix}", dir=path.parent
        )
        os.close(handle)
    except OSError as exc:
        problem = classify(exc)
        if problem is not None:
            raise problem from exc
        raise
    tmp = Path(name)
    try:
        ctx = open_app(str(tmp), operator=demo.DEMO_OPERATOR)
        try:
            summary = demo.build_demo(ctx, seed=seed)
        finally:
            ctx.db.dispose()
        _finish_file(tmp)
        kept: Path | None = None
        moved: list[tuple[Path, Path]] = []
        try:
            if path.exists() and path.stat().st_size > 0:  # an empty file holds nothing to keep
                kept = _kept_name(path)
                for suffix in ("", *_COMPANIONS):
                    side = path.with_name(path.name + suffix)
                    if side.exists():
                        target = kept.with_name(kept.name + suffix)
                        side.rename(target)
                        moved.append((side, target))
            os.replace(tmp, path)
        except BaseException:
            for side, target in reversed(moved):  # the old demo database back in place
                with contextlib.suppress(OSError):
                    target.rename(side)
            raise
    except BaseException as exc:
        _remove_with_companions(tmp)
        if isinstance(exc, OSError | sqlite3.Error):
            problem = classify(exc)
            if problem is not None:
                raise problem from exc
        raise
    return DemoFileReport(path=path, old_kept_as=kept, summary=summary)
