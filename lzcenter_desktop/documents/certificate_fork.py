"""A folder batch of certificates drawn by two processes at once (Linux ``os.fork``): half by
this process, half by a forked child, with the same bytes as one process; a child that fails,
dies or hangs is an error, never a wait.  Used by
:func:`lzcenter_desktop.documents.certificate.render_batch`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from lzcenter_desktop.documents.certificate_page import _render_files
from lzcenter_desktop.documents.certificate_spec import CertificateSpec, Progress, _resolve_faces
from lzcenter_desktop.documents.layout import load_faces

#: A folder batch of at least this many certificates is drawn by two processes (Linux, see
#: :func:`_fork_allowed`): half by this process, half by a forked copy of it.  Measured on a 2-CPU
#: Linux machine: 60 certificates break even, 100 gain ≈ 25 ms, 200 ≈ 60 ms.
FORK_MIN_BATCH: Final = 100
#: Seconds the forked half may take, per certificate and at least; then it is killed and an error
#: raised (a child that dies or hangs must never leave the caller waiting).
FORK_TIMEOUT_PER_CERT: Final = 0.5
FORK_TIMEOUT_MIN: Final = 30.0


def _fork_allowed(total: int) -> bool:
    """Whether a folder batch of ``total`` certificates is split over two processes: only on Linux
    (``os.fork``; Windows and macOS stay single-process), with two CPUs or more, from a process
    with a single thread and without Qt loaded (forking a threaded or GUI process can deadlock the
    child), for ``total`` ≥ :data:`FORK_MIN_BATCH`."""
    return total >= FORK_MIN_BATCH and _can_fork()


def _can_fork() -> bool:
    """The conditions of :func:`_fork_allowed` other than the batch size."""
    import os
    import sys
    import threading

    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and (os.cpu_count() or 1) >= 2
        and threading.active_count() == 1
        and "PySide6.QtCore" not in sys.modules
    )


def _render_files_forked(
    specs: Sequence[CertificateSpec],
    codes: Sequence[str],
    *,
    seal_guide: bool,
    faces: Mapping[str, str] | None,
    seed: Mapping[str, str],
    progress: Progress | None,
) -> list[bytes] | None:
    """:func:`_render_files` with the second half drawn by a forked child at the same time.

    The fonts are loaded before the fork, so the child starts drawing at once; it writes its files
    (or its error) to an anonymous temporary file the parent reads when both halves are done.  Both
    halves use the batch's seed, so every file is byte-for-byte the one a single process writes
    (tested).  An error in the child is raised here (a :class:`ValueError` keeps its message); a
    child that runs past its time is killed and :class:`RuntimeError` raised.
    """
    import marshal
    import os
    import tempfile
    import time

    total = len(specs)
    half = (total + 1) // 2
    load_faces(*_resolve_faces(faces).values())  # parsed once, before the fork, for both processes
    with tempfile.TemporaryFile() as shared:
        pid = os.fork()
        if pid == 0:  # the child: draw the second half, report, and leave without any clean-up
            status = 0
            try:
                try:
                    files = _render_files(
                        specs[half:],
                        codes[half:],
                        seal_guide=seal_guide,
                        faces=faces,
                        seed=seed,
                        progress=None,
                        total=total,
                        done=half,
                    )
                    payload = marshal.dumps(("ok", files))
                except BaseException as error:  # reported to the parent
                    kind = "value" if isinstance(error, ValueError) else "error"
                    payload = marshal.dumps(
                        (kind, f"{type(error).__name__}: {error}" if kind == "error" else str(error))
                    )
                    status = 1
                shared.write(payload)
                shared.flush()
            except BaseException:
                status = 2
            finally:
                os._exit(status)
        try:
            mine = _render_files(
                specs[:half],
                codes[:half],
                seal_guide=seal_guide,
                faces=faces,
                seed=seed,
                progress=progress,
                total=total,
            )
        except BaseException:
            _kill(pid)
            raise
        if mine is None:
            _kill(pid)
            return None
        deadline = time.monotonic() + max(FORK_TIMEOUT_MIN, FORK_TIMEOUT_PER_CERT * (total - half))
        while True:
            done_pid, _status = os.waitpid(pid, os.WNOHANG)
            if done_pid == pid:
                break
            if time.monotonic() > deadline:
                _kill(pid)
                raise RuntimeError(
                    f"生成证书超时：第 {half + 1}–{total} 份证书在限定时间内没有完成，"
                    "已停止，未写入任何文件。"
                )
            time.sleep(0.002)
        shared.seek(0)
        try:
            kind, result = marshal.loads(shared.read())
        except (EOFError, ValueError, TypeError):
            raise RuntimeError(
                f"生成证书失败：生成第 {half + 1}–{total} 份证书的子进程意外退出，未写入任何文件。"
            ) from None
    if kind == "value":
        raise ValueError(result)
    if kind != "ok":
        raise RuntimeError(f"生成证书失败（第 {half + 1}–{total} 份）：{result}")
    if progress is not None:
        for done in range(half + 1, total + 1):
            if progress(done, total) is False:
                return None
    return [*mine, *result]


def _kill(pid: int) -> None:
    """Kill the forked child ``pid`` and reap it (never raises)."""
    import contextlib
    import os
    import signal

    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)
