"""A folder batch split over two processes (Linux ``os.fork``): the same bytes as one process,
and a child that fails, dies or hangs is an error, never a wait."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from lzcenter_desktop.documents import certificate, certificate_fork, certificate_page
from lzcenter_desktop.documents.certificate import CertificateSpec

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork exists only on POSIX")

KEY = bytes(range(32))
SPEC = CertificateSpec(
    "LZGC-2026-001",
    "柳州智能网联汽车工程技术研究中心（柳州某某汽车有限公司）",
    "柳州某某汽车有限公司",
    "柳科规〔2026〕12号",
    date(2026, 11, 26),
)
COUNT = certificate.FORK_MIN_BATCH  # the smallest batch that is split


def specs(n: int) -> list[CertificateSpec]:
    return [
        replace(SPEC, number=f"LZGC-2026-{i:03d}", center_name=f"柳州{i:03d}号工程技术研究中心")
        for i in range(1, n + 1)
    ]


def fork(monkeypatch: pytest.MonkeyPatch, allowed: bool) -> list[int]:
    """Force the split on or off; returns the list the number of forks is counted in."""
    monkeypatch.setattr(certificate_fork, "_can_fork", lambda: allowed)
    forks: list[int] = []
    real = certificate_fork._render_files_forked
    monkeypatch.setattr(
        certificate, "_render_files_forked", lambda *a, **k: (forks.append(1), real(*a, **k))[1]
    )
    return forks


def test_fork_only_from_the_minimum_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(certificate_fork, "_can_fork", lambda: True)
    assert not certificate_fork._fork_allowed(COUNT - 1)
    assert certificate_fork._fork_allowed(COUNT)
    assert certificate_fork._fork_allowed(COUNT + 1)
    monkeypatch.setattr(certificate_fork, "_can_fork", lambda: False)
    assert not certificate_fork._fork_allowed(COUNT)


def test_no_fork_in_a_qt_process_or_elsewhere_than_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "PySide6.QtCore", sys.modules.get("PySide6.QtCore", object()))
    assert not certificate_fork._can_fork()
    monkeypatch.delitem(sys.modules, "PySide6.QtCore")
    monkeypatch.setattr(sys, "platform", "win32")
    assert not certificate_fork._can_fork()


def test_two_processes_write_exactly_the_files_of_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = specs(COUNT + 1)  # odd: the halves differ by one
    forks = fork(monkeypatch, False)
    single = certificate.render_batch(batch, tmp_path / "one", key=KEY)
    assert forks == []
    forks = fork(monkeypatch, True)
    seen: list[tuple[int, int]] = []
    split = certificate.render_batch(
        batch, tmp_path / "two", key=KEY, progress=lambda d, t: seen.append((d, t)) is None
    )
    assert forks == [1]
    assert [p.name for p in split] == [p.name for p in single]
    for a, b in zip(single, split, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert seen == [(d, len(batch)) for d in range(1, len(batch) + 1)]


def test_one_multi_page_file_is_never_split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forks = fork(monkeypatch, True)
    certificate.render_batch(specs(COUNT), tmp_path / "all.pdf", key=KEY)
    assert forks == []


def failing_in_child(monkeypatch: pytest.MonkeyPatch, action: Any) -> None:
    """Make drawing the last certificate (always the child's) do ``action``."""
    real = certificate_page._draw_certificate
    last = f"LZGC-2026-{COUNT:03d}"

    def draw(canvas: Any, spec: CertificateSpec, *a: Any, **k: Any) -> None:
        if spec.number == last:
            action()
        real(canvas, spec, *a, **k)

    monkeypatch.setattr(certificate_page, "_draw_certificate", draw)


def raise_value_error() -> None:
    raise ValueError("证书的“中心名称”太长，无法排版。")


def raise_key_error() -> None:
    raise KeyError("boom")


@pytest.mark.parametrize(
    ("action", "error", "words"),
    [
        (raise_value_error, ValueError, "中心名称"),
        (raise_key_error, RuntimeError, "生成证书失败"),
        (lambda: os._exit(3), RuntimeError, "意外退出"),
    ],
)
def test_a_failing_child_is_an_error_and_nothing_is_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    action: Any,
    error: type[Exception],
    words: str,
) -> None:
    fork(monkeypatch, True)
    failing_in_child(monkeypatch, action)
    with pytest.raises(error, match=words):
        certificate.render_batch(specs(COUNT), tmp_path / "out", key=KEY)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_hanging_child_is_killed_after_its_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fork(monkeypatch, True)
    monkeypatch.setattr(certificate_fork, "FORK_TIMEOUT_MIN", 1.0)
    monkeypatch.setattr(certificate_fork, "FORK_TIMEOUT_PER_CERT", 0.0)
    failing_in_child(monkeypatch, lambda: time.sleep(3600))
    with pytest.raises(RuntimeError, match="超时"):
        certificate.render_batch(specs(COUNT), tmp_path / "out", key=KEY)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_cancelling_in_the_parent_kills_the_child_and_writes_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fork(monkeypatch, True)
    killed: list[int] = []
    real_kill = certificate_fork._kill
    monkeypatch.setattr(certificate_fork, "_kill", lambda pid: (killed.append(pid), real_kill(pid)))
    out = certificate.render_batch(specs(COUNT), tmp_path / "out", key=KEY, progress=lambda d, t: d < 3)
    assert out == []
    assert len(killed) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(killed[0], os.WNOHANG)  # reaped
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_cancelling_after_the_childs_half_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fork(monkeypatch, True)
    assert (
        certificate.render_batch(specs(COUNT), tmp_path / "out", key=KEY, progress=lambda d, t: d < t) == []
    )
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --------------------------------------------------------------------------- garbage collector


@pytest.mark.parametrize("enabled", [True, False])
def test_a_batch_leaves_the_garbage_collector_as_it_found_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, enabled: bool
) -> None:
    import gc

    fork(monkeypatch, False)
    during: list[bool] = []
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        certificate.render_batch(
            specs(2), tmp_path / "ok", key=KEY, progress=lambda d, t: during.append(gc.isenabled()) is None
        )
        assert during == [False, False]
        assert gc.isenabled() is enabled
        with pytest.raises(ValueError, match="证书编号"):  # an error on the way out restores it too
            certificate.render_batch([SPEC, SPEC], tmp_path / "dup", key=KEY)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
