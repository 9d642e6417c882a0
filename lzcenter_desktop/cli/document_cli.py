"""What the ``review-document`` and ``evaluation-document`` commands share: the ``-o FILE`` option,
opening the database when a command runs, printing where the document went, and a command made from
the service function it calls (imported only when it runs, so nothing here loads the services)."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from lzcenter_desktop.cli.args import EXIT_OK

if TYPE_CHECKING:
    from lzcenter_desktop.services.context import AppContext

Command = Callable[[argparse.Namespace], int]


class Made(Protocol):
    """A document written (``ReviewDocument``, ``EvaluationDocument``)."""

    def text(self) -> str: ...


def add_output(p: argparse.ArgumentParser, suffix: str) -> None:
    """The required ``-o FILE<suffix>`` option."""
    p.add_argument(
        "-o", "--output", type=Path, required=True, metavar=f"FILE{suffix}", help=f"输出的 {suffix} 文件"
    )


def open_context(args: argparse.Namespace) -> AppContext:
    from lzcenter_desktop.services import context

    return context.open_app(args.db, operator=args.operator)


def done(made: Made) -> int:
    """Print where the document went."""
    print(made.text())
    return EXIT_OK


def document_command(module: str, maker: str, **fields: str) -> Command:
    """The command calling ``<module>.<maker>(ctx, keyword=args.<field>, …)`` for each
    ``keyword="field"`` of ``fields``, then printing where the document went."""

    def run(args: argparse.Namespace) -> int:
        make = getattr(importlib.import_module(module), maker)
        ctx = open_context(args)
        return done(make(ctx, **{keyword: getattr(args, name) for keyword, name in fields.items()}))

    run.__name__ = run.__qualname__ = f"cmd_{maker.removeprefix('make_')}"
    return run
