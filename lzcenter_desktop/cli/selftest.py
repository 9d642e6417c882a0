"""``lzcenter-desktop selftest``: every layer once, on a throw-away database (the installer's smoke
test)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

from lzcenter_desktop.cli.args import EXIT_OK
from lzcenter_desktop.cli.selftest_evaluation import evaluation_document_steps
from lzcenter_desktop.cli.selftest_review import review_document_steps


@contextlib.contextmanager
def _temporary_keystore(folder: Path) -> Iterator[None]:
    """The certificates of the selftest are signed with keys of a throw-away key store, never the
    user's (``LZCENTER_KEYSTORE`` points into ``folder`` meanwhile)."""
    from lzcenter_desktop.services.keystore import STORE_ENV

    previous = os.environ.get(STORE_ENV)
    os.environ[STORE_ENV] = str(folder / "keys")
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(STORE_ENV, None)
        else:
            os.environ[STORE_ENV] = previous


def cmd_selftest(args: argparse.Namespace) -> int:
    """Every layer once, on a throw-away database; prints each step. The installer's smoke test."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    failures = 0

    def step(title: str, action: Callable[[], str]) -> None:
        nonlocal failures
        try:
            detail = action()
        except Exception as exc:
            failures += 1
            print(f"✗ {title}：{exc}", flush=True)
            traceback.print_exc(file=sys.stderr)
        else:
            print(f"✓ {title}" + (f"：{detail}" if detail else ""), flush=True)

    with tempfile.TemporaryDirectory(prefix="lzcenter-selftest-") as tmp, _temporary_keystore(Path(tmp)):
        tmp_path = Path(tmp)
        db_path = tmp_path / "selftest.sqlite"
        state: dict[str, object] = {}

        def open_and_migrate() -> str:
            from lzcenter_desktop.services import context

            ctx = context.open_app(str(db_path), operator="selftest")
            state["ctx"] = ctx
            return str(db_path)

        def load_demo() -> str:
            from lzcenter_desktop.services import demo

            summary = demo.build_demo(state["ctx"], seed=2026)  # type: ignore[arg-type]
            return str(getattr(summary, "headline", summary))

        def render_pdf() -> str:
            from lzcenter_desktop.services.documents import render_selftest_page

            pdf = render_selftest_page(tmp_path / "selftest.pdf")
            return f"{pdf.name}，{pdf.stat().st_size} 字节"

        def open_window() -> str:
            from lzcenter_desktop.ui.app import make_main_window_for_selftest

            window = make_main_window_for_selftest(state["ctx"])  # type: ignore[arg-type]
            title = str(window.windowTitle())
            window.close()
            return title

        step("创建并迁移临时数据库", open_and_migrate)
        if "ctx" in state:
            step("生成演示数据", load_demo)
        step("生成一页 PDF（内嵌中文字体）", render_pdf)
        if "ctx" in state:
            step("离屏打开主窗口", open_window)
            ctx = state["ctx"]
            for title, action in review_document_steps(ctx, tmp_path):
                step(title, action)
            for title, action in evaluation_document_steps(ctx, tmp_path):
                step(title, action)
            ctx.db.dispose()  # type: ignore[attr-defined]
    print("自检通过" if failures == 0 else f"自检失败：{failures} 项未通过")
    return EXIT_OK if failures == 0 else 1
