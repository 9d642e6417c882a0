"""``review-export`` and ``review-import`` (cli/review_commands.py), run through their own argparse set-up
as ``cli.build_parser`` adds them."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from lzcenter_desktop.cli.review_commands import add_review_parsers
from lzcenter_desktop.services.context import AppContext
from tests.review_fixtures import REVIEW_ON, ReviewSetup, open_review_db, review_setup
from tests.review_package_helpers import at, fill_return

DEADLINE = REVIEW_ON + dt.timedelta(days=2)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[tuple[str, AppContext, ReviewSetup]]:
    ctx = open_review_db(tmp_path)
    setup = review_setup(ctx, score_deadline=DEADLINE)
    yield str(tmp_path / "review.sqlite"), ctx, setup
    ctx.db.dispose()


def run(db: str, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--operator")
    add_review_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["--db", db, *argv])
    return int(args.func(args))


def test_export_per_session_per_expert_and_import(
    db: tuple[str, AppContext, ReviewSetup], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _, setup = db
    assert run(path, "review-export", str(setup.session_id), "-o", str(tmp_path / "全场.lzreview")) == 0
    assert "已导出评审包“全场.lzreview”：整场评审会" in capsys.readouterr().out
    folder = tmp_path / "各专家"
    folder.mkdir()
    assert run(path, "review-export", str(setup.session_id), "--per-expert", "-o", str(folder)) == 0
    packages = sorted(folder.glob("*.lzreview"))
    assert len(packages) == len(setup.expert_ids) and "单个专家" in capsys.readouterr().out

    from lzcenter_desktop.services.review.package_files import read_package_file

    returns = []
    for pkg in packages[:2]:
        expert = read_package_file(pkg).package.experts[0].expert_id
        returns.append(
            fill_return(pkg, expert, tmp_path / f"{pkg.stem}-回执.lzreview", saved_at=at(REVIEW_ON))
        )
    assert run(path, "review-import", *map(str, returns), "--session", str(setup.session_id)) == 0
    out = capsys.readouterr().out
    assert out.count("导入评分") == 2
    assert run(path, "review-import", str(returns[0])) == 0
    assert "导入过，本次未作任何更改" in capsys.readouterr().out


def test_import_exit_codes_and_late_hint(
    db: tuple[str, AppContext, ReviewSetup], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _, setup = db
    folder = tmp_path / "各专家"
    folder.mkdir()
    run(path, "review-export", str(setup.session_id), "--per-expert", "-o", str(folder))
    from lzcenter_desktop.services.review.package_files import read_package_file

    first, second = sorted(folder.glob("*.lzreview"))[:2]
    late = fill_return(
        first,
        read_package_file(first).package.experts[0].expert_id,
        tmp_path / "迟交.lzreview",
        saved_at=at(DEADLINE + dt.timedelta(days=1)),
    )
    on_time = fill_return(
        second,
        read_package_file(second).package.experts[0].expert_id,
        tmp_path / "按时.lzreview",
        saved_at=at(DEADLINE),
    )
    capsys.readouterr()
    assert run(path, "review-import", str(late)) == 2
    err = capsys.readouterr().err
    assert "晚于评分截止日期" in err and "--override-reason" in err
    assert run(path, "review-import", str(late), str(on_time)) == 1
    assert run(path, "review-import", str(late), "--override-reason", "专家生病，经批准延后") == 0
    assert "逾期导入，理由：专家生病，经批准延后" in capsys.readouterr().out


def test_argument_errors_are_chinese(db: tuple[str, AppContext, ReviewSetup], tmp_path: Path) -> None:
    path, _, setup = db
    from lzcenter_desktop.services.errors import ServiceError

    with pytest.raises(ServiceError, match="不能同时使用"):
        run(
            path, "review-export", str(setup.session_id), "--per-expert", "--expert", "1", "-o", str(tmp_path)
        )
    with pytest.raises(SystemExit):
        run(path, "review-export", "abc", "-o", str(tmp_path / "x.lzreview"))
