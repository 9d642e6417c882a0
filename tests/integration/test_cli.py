"""The command line, end to end: real processes, real SQLite files, real output."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from lzcenter_desktop import cli

REPO = Path(__file__).resolve().parents[2]


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    full_env.pop("LZCENTER_DB", None)
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "lzcenter_desktop", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env=full_env,
        timeout=timeout,
    )


def test_help_is_chinese_and_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("demo", "migrate", "backup", "selftest", "check"):
        assert command in out
    assert "数据库" in out


def test_unknown_command_exits_2_with_chinese_message(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["frobnicate"])
    assert exit_info.value.code == 2
    assert "参数错误" in capsys.readouterr().err


def test_impossible_as_of_date_is_refused_in_chinese(
    capsys: pytest.CaptureFixture[str], examples_dir: Path
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["check", str(examples_dir / "declaration-enterprise.json"), "--as-of", "2026-02-30"])
    assert exit_info.value.code == 2
    assert "日期“2026-02-30”无效" in capsys.readouterr().err


def test_check_example_declaration_passes(examples_dir: Path) -> None:
    result = run_cli("check", str(examples_dir / "declaration-enterprise.json"), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == {"violations"}
    assert all(v["severity"] == "warning" for v in payload["violations"])


def test_check_reports_rule_violation_with_exit_1(tmp_path: Path, examples_dir: Path) -> None:
    data = json.loads((examples_dir / "declaration-enterprise.json").read_text(encoding="utf-8"))
    data["staff"] = data["staff"][:7]  # 7 fixed R&D staff: 第九条（三） asks for at least 8
    bad = tmp_path / "seven-staff.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run_cli("check", str(bad), "--json")
    assert result.returncode == 1, result.stderr
    rules = {v["rule"] for v in json.loads(result.stdout)["violations"] if v["severity"] == "error"}
    assert "D9.3a" in rules
    plain = run_cli("check", str(bad))
    assert plain.returncode == 1
    assert "D9.3a" in plain.stdout


def test_check_unreadable_file_exits_2(tmp_path: Path) -> None:
    missing = run_cli("check", str(tmp_path / "nope.json"))
    assert missing.returncode == 2
    assert missing.stderr.strip()
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json", encoding="utf-8")
    result = run_cli("check", str(garbage))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_demo_is_idempotent_and_rebuild_keeps_the_old_file(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    first = run_cli("--db", str(db), "demo")
    assert first.returncode == 0, first.stderr
    assert "已生成演示数据库" in first.stdout
    with sqlite3.connect(db) as conn:
        centres = conn.execute("SELECT COUNT(*) FROM center").fetchone()[0]
    assert 35 <= centres <= 45
    second = run_cli("--db", str(db), "demo")
    assert second.returncode == 0, second.stderr
    assert "使用已有的演示数据库" in second.stdout
    rebuilt = run_cli("--db", str(db), "demo", "--rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    kept = [p for p in tmp_path.iterdir() if ".bak" in p.name and p.suffix == ".sqlite"]
    assert len(kept) == 1, list(tmp_path.iterdir())
    with sqlite3.connect(kept[0]) as conn:
        assert conn.execute("SELECT COUNT(*) FROM center").fetchone()[0] == centres


def test_migrate_then_backup_via_environment_variable(tmp_path: Path) -> None:
    db = tmp_path / "env.sqlite"
    migrated = run_cli("migrate", env={"LZCENTER_DB": str(db)})
    assert migrated.returncode == 0, migrated.stderr
    assert db.exists()
    again = run_cli("migrate", env={"LZCENTER_DB": str(db)})
    assert again.returncode == 0
    assert "无需升级" in again.stdout
    target = tmp_path / "copy.sqlite"
    backed = run_cli("--db", str(db), "backup", "-o", str(target))
    assert backed.returncode == 0, backed.stderr
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "center" in tables and "alembic_version" in tables


def test_newer_database_is_refused_with_a_chinese_message(tmp_path: Path) -> None:
    db = tmp_path / "future.sqlite"
    assert run_cli("--db", str(db), "migrate").returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    result = run_cli("--db", str(db), "migrate")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "版本" in result.stderr


def test_selftest_runs_every_layer() -> None:
    result = run_cli("selftest", timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    from lzcenter_desktop.cli.selftest import document_steps
    from lzcenter_desktop.ui.main_window import SECTIONS

    lines = [line for line in result.stdout.splitlines() if line.startswith(("✓", "✗"))]
    assert lines and all(line.startswith("✓") for line in lines), result.stdout
    # the layers, each section of the main window, then one document of every kind (issue 16 item 1)
    titles = [title for title, _kinds, _action in document_steps(None, Path("."))]
    expected = ["创建并迁移临时数据库", "从最早的数据库结构升级到最新结构", "生成演示数据", "离屏打开主窗口",
                *[f"打开“{s}”页" for s in SECTIONS], *titles, "每种文档都已生成并检查"]  # fmt: skip
    shown = [line[2:].split("：", 1)[0] for line in lines]
    assert [t for t in shown if t in expected] == expected, result.stdout
    assert any("二维码读出并核验为真实" in line for line in lines)
    assert not any("未嵌入字体" in line for line in lines)
    assert result.stdout.strip().splitlines()[-1].startswith("自检通过，用时")


def test_template_declaration_writes_the_applicant_workbook(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "申报表.xlsx"
    result = run_cli("template", "declaration", "-o", str(out), "--year", "2026")
    assert result.returncode == 0, result.stderr
    sheets = load_workbook(out).sheetnames
    assert sheets[0] == "说明" and "研发人员" in sheets
    wrong = run_cli("template", "declaration", "-o", str(tmp_path / "x.txt"))
    assert wrong.returncode == 2
    assert ".xlsx" in wrong.stderr
    too_early = run_cli("template", "declaration", "-o", str(tmp_path / "old.xlsx"), "--year", "2020")
    assert too_early.returncode == 2
    assert "没有 2020 年度" in too_early.stderr


def test_import_then_export_declaration_is_lossless(tmp_path: Path, examples_dir: Path) -> None:
    db = tmp_path / "decl.sqlite"
    example = examples_dir / "declaration-enterprise.json"
    imported = run_cli("--db", str(db), "import", str(example))
    assert imported.returncode == 0, imported.stderr
    new_id = imported.stdout.strip().splitlines()[-1]
    assert new_id.isdigit()
    out = tmp_path / "out.json"
    exported = run_cli("--db", str(db), "export", "declaration", new_id, "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(example.read_text(encoding="utf-8"))


def test_import_keeps_a_rule_breaking_declaration_as_a_flagged_draft(
    tmp_path: Path, examples_dir: Path
) -> None:
    data = json.loads((examples_dir / "declaration-enterprise.json").read_text(encoding="utf-8"))
    data["center"]["floor_area_m2"] = 299  # 第九条（五）: at least 300 m²
    bad = tmp_path / "small.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run_cli("--db", str(tmp_path / "d.sqlite"), "import", str(bad))
    assert result.returncode == 0, result.stderr
    assert "D9.5a" in result.stdout and "带标记的草稿" in result.stdout
    assert result.stdout.strip().splitlines()[-1].isdigit()


def test_import_refuses_a_file_that_is_not_the_format(tmp_path: Path, examples_dir: Path) -> None:
    result = run_cli("--db", str(tmp_path / "d.sqlite"), "import", str(examples_dir / "committees.json"))
    assert result.returncode == 2
    assert "不是交换格式文件" in result.stderr
    missing = run_cli(
        "--db", str(tmp_path / "d.sqlite"), "export", "declaration", "42", "-o", str(tmp_path / "x.json")
    )
    assert missing.returncode == 2
    assert "42" in missing.stderr


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["check"], "缺少必需的参数：FILE"),
        (["frobnicate"], "“frobnicate”不是可选值"),
        (["template", "declaration", "-o", "x.xlsx", "--year", "abc"], "参数 --year：“abc”不是整数"),
        (["check", "a.json", "--bogus"], "无法识别的参数：--bogus"),
        (["check", "a.json", "--as-of"], "参数 --as-of 后面需要一个值"),
    ],
)
def test_argument_errors_are_chinese(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "用法：" in err and "usage:" not in err


def test_help_of_a_sub_command_has_no_english_headings(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["check", "--help"])
    out = capsys.readouterr().out
    assert "用法：" in out and "选项" in out and "显示本帮助并退出" in out
    assert "usage:" not in out and "options:" not in out and "show this help" not in out


# --- the database file can never spread damage; edges of --db, ids and arguments ------------------


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def damaged_db(tmp_path: Path) -> Path:
    """A database with data and a good backup, then damaged in a page of audit_entry."""
    from lzcenter_desktop.services import backup, organizations
    from lzcenter_desktop.services.context import open_app
    from tests.damage import damage_audit_entry

    path = tmp_path / "lz.sqlite"
    ctx = open_app(str(path))
    for i in range(60):
        organizations.create_organization(ctx, name=f"柳州第{i}号测试机械有限公司", kind="enterprise")
    backup.backup_now(ctx)
    ctx.db.dispose()
    damage_audit_entry(path)
    return path


@pytest.mark.sqlite_only  # damages the SQLite file's bytes
def test_damaged_database_refuses_import_with_a_chinese_message(damaged_db: Path, examples_dir: Path) -> None:
    before = _digest(damaged_db)
    result = run_cli("--db", str(damaged_db), "import", str(examples_dir / "declaration-enterprise.json"))
    assert result.returncode == 7, result.stderr
    assert "数据库文件已损坏" in result.stderr and "备份" in result.stderr
    assert "Traceback" not in result.stderr
    assert _digest(damaged_db) == before


@pytest.mark.sqlite_only  # damages the SQLite file's bytes
def test_damaged_database_is_not_backed_up_and_good_backups_stay(damaged_db: Path) -> None:
    folder = damaged_db.parent / "backups"
    kept = {p.name: _digest(p) for p in folder.iterdir()}
    result = run_cli("--db", str(damaged_db), "backup")
    assert result.returncode == 7, result.stderr
    assert "没有备份" in result.stderr and "已有的备份都保持原样" in result.stderr
    onto = run_cli("--db", str(damaged_db), "backup", "-o", str(folder / next(iter(kept))))
    assert onto.returncode == 7
    assert {p.name: _digest(p) for p in folder.iterdir()} == kept
    migrated = run_cli("--db", str(damaged_db), "migrate")
    assert migrated.returncode == 7 and "数据库文件已损坏" in migrated.stderr


def test_a_json_file_as_db_is_not_our_database(tmp_path: Path, examples_dir: Path) -> None:
    target = tmp_path / "declaration.json"
    target.write_text((examples_dir / "declaration-enterprise.json").read_text(encoding="utf-8"), "utf-8")
    before = _digest(target)
    result = run_cli("--db", str(target), "export", "declaration", "1", "-o", str(tmp_path / "o.json"))
    assert result.returncode == 10, result.stderr
    assert "不是本系统的数据库" in result.stderr and "已损坏" not in result.stderr
    assert _digest(target) == before


@pytest.mark.parametrize(
    "command", [["backup"], ["migrate"], ["demo"], ["export", "declaration", "1", "-o", "x.json"]]
)
def test_an_empty_db_is_an_error_never_the_default_database(tmp_path: Path, command: list[str]) -> None:
    data_home = tmp_path / "data"
    env = {"XDG_DATA_HOME": str(data_home), "LOCALAPPDATA": str(data_home)}
    result = run_cli("--db", "", *command, env=env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--db 后面的数据库路径为空" in result.stderr
    assert not data_home.exists()  # the default (and demo) database was not touched
    spaces = run_cli("--db=  ", *command, env=env)
    assert spaces.returncode == 2 and "为空" in spaces.stderr


def test_an_empty_db_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--db", "", "backup"]) == 2
    assert "为空" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        # PostgreSQL's integer ids end at 2**31 - 1: a larger one is not found there either
        (str(2**31 - 1), "找不到编号为 2147483647 的申报书"),
        (str(2**31), "找不到编号为 2147483648 的申报书"),
        (str(-(2**31) - 1), "找不到编号为 -2147483649 的申报书"),
        (str(2**63 - 1), "找不到编号为 9223372036854775807 的申报书"),  # the largest id SQLite can hold
        (str(2**63), "编号为 9223372036854775808 的申报书不存在"),  # one above it
        (str(2**64 + 5), "的申报书不存在"),
        ("9" * 5000, "的申报书不存在"),  # beyond Python's own int-from-text limit
        ("-" + str(2**63 + 1), "的申报书不存在"),
    ],
)
def test_huge_ids_do_not_exist_rather_than_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], number: str, expected: str
) -> None:
    db = tmp_path / "ids.sqlite"
    code = cli.main(["--db", str(db), "export", "declaration", number, "-o", str(tmp_path / "x.json")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert expected in err
    assert "内部错误" not in err and "OverflowError" not in err
    assert len(err) < 400  # a 5000-digit number is shortened in the message


def test_huge_centre_id_of_a_document_does_not_exist(tmp_path: Path) -> None:
    result = run_cli(
        "--db",
        str(tmp_path / "d.sqlite"),
        "document",
        "plaque",
        "--center",
        str(2**70),
        "-o",
        str(tmp_path / "p.pdf"),
    )
    assert result.returncode == 2, result.stderr
    assert "的中心不存在" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "p.pdf").exists()


def test_an_id_that_is_not_a_number_is_an_argument_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["export", "declaration", "12a", "-o", "x.json"])
    assert exit_info.value.code == 2
    assert "申报书编号“12a”不是整数" in capsys.readouterr().err


def test_undecodable_argument_is_refused_for_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    bad = b"\xff\xfe".decode("utf-8", "surrogateescape")  # what Python makes of $'\xff\xfe' in UTF-8
    assert cli.main(["verify", "LZ2-20191130-2019001-AAAA", "--name", bad]) == 2
    err = capsys.readouterr().err
    assert "第 4 个命令行参数" in err and "--name 的值" in err and "无法识别的字符" in err
    assert cli.main(["--db", f"x{bad}.sqlite", "backup"]) == 2
    assert "第 2 个命令行参数" in capsys.readouterr().err
    assert cli.main(["verify", "LZ2-20191130-2019001-AAAA", "--name", "柳州某某工程技术研究中心\ud800"]) == 2


def test_undecodable_argument_from_a_real_terminal(tmp_path: Path) -> None:
    """``--name $'\\xff'`` under a UTF-8 locale: raw bytes on the real command line."""
    env = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8", LC_ALL="C.UTF-8", LANG="C.UTF-8"
    )
    env["LZCENTER_DB"] = str(tmp_path / "v.sqlite")
    result = subprocess.run(
        [sys.executable, "-m", "lzcenter_desktop", "verify", "LZ2-20191130-2019001-AAAA", "--name", b"\xff"],
        capture_output=True,
        cwd=REPO,
        env=env,
        timeout=120,
    )
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2, err
    assert "无法识别的字符" in err and "Traceback" not in err
    assert not (tmp_path / "v.sqlite").exists()


# --- import of several files or a folder in one pass (issue 11 item 6) ---------------------------


def _variant(examples_dir: Path, n: int, **center: object) -> dict:
    from lzcenter_desktop.domain.credit_code import check_char

    data = json.loads((examples_dir / "declaration-enterprise.json").read_text(encoding="utf-8"))
    first17 = f"91450205MA5{n:06d}"
    data["host"]["credit_code"] = first17 + check_char(first17)
    data["host"]["name"] = f"柳州第{n}号机械有限公司"
    data["center"]["name_zh"] = f"柳州工程机械智能制造工程技术研究中心（{data['host']['name']}）"
    data["center"].update(center)
    return data


def _put(folder: Path, name: str, data: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_import_a_folder_all_imported_exits_0_with_progress_and_summary(
    tmp_path: Path, examples_dir: Path
) -> None:
    folder = tmp_path / "收件"
    for n in range(3):
        _put(folder, f"{n}.json", _variant(examples_dir, n))
    _put(folder, "small.json", _variant(examples_dir, 7, floor_area_m2=299))  # a flagged draft
    db = tmp_path / "d.sqlite"
    result = run_cli("--db", str(db), "import", str(folder))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "[1/4] 0.json：已导入为第 1 号草稿，未发现问题",
        "[2/4] 1.json：已导入为第 2 号草稿，未发现问题",
        "[3/4] 2.json：已导入为第 3 号草稿，未发现问题",
        "[4/4] small.json：已导入为第 4 号带标记的草稿（1 项错误，0 项警告，请在申报书中改正或确认）",
    ]
    out = result.stdout.splitlines()
    assert out[0] == "共 4 个文件：已导入 4 个（其中 1 个为带标记的草稿），未导入 0 个。"
    assert out[1] == "已导入：" and "未导入：" not in out
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM declaration").fetchone() == (4,)


def test_import_some_refused_exits_1_naming_each_file_and_why(tmp_path: Path, examples_dir: Path) -> None:
    folder = tmp_path / "收件"
    _put(folder, "好.json", _variant(examples_dir, 1))
    _put(folder, "坏.json", "{坏")
    other = _put(tmp_path, "另一个.json", _variant(examples_dir, 2))
    result = run_cli(
        "--db", str(tmp_path / "d.sqlite"), "import", str(folder), str(other), str(tmp_path / "没有.json")
    )
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert out.splitlines()[0] == "共 4 个文件：已导入 2 个，未导入 2 个。"
    assert "  好.json：已导入为第 1 号草稿，未发现问题" in out
    assert "  另一个.json：已导入为第 2 号草稿，未发现问题" in out
    assert "  坏.json：未导入。不是交换格式文件（(根)：不是有效的 JSON" in out
    assert f"  没有.json：未导入。找不到文件或文件夹“{tmp_path / '没有.json'}”" in out
    assert "[1/3] 坏.json：未导入。不是交换格式文件" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_none_imported_exits_2(tmp_path: Path, examples_dir: Path) -> None:
    folder = tmp_path / "收件"
    _put(folder, "a.json", "[]")
    _put(folder, "b.json", {"format": "lzcenter.committees/1"})
    result = run_cli("--db", str(tmp_path / "d.sqlite"), "import", str(folder))
    assert result.returncode == 2, result.stderr
    assert result.stdout.splitlines()[0] == "共 2 个文件：已导入 0 个，未导入 2 个。"
    empty = tmp_path / "空"
    empty.mkdir()
    nothing = run_cli("--db", str(tmp_path / "d.sqlite"), "import", str(empty))
    assert nothing.returncode == 2
    assert f"错误：文件夹“{empty}”中没有 .json 文件" in nothing.stderr


def test_import_of_many_files_reports_progress_every_50(tmp_path: Path, examples_dir: Path) -> None:
    folder = tmp_path / "收件"
    base = _variant(examples_dir, 1)
    for n in range(51):
        _put(folder, f"{n:03d}.json", base)  # the same host each time: DUP warnings, all imported
    _put(folder, "x.json", "[]")
    result = run_cli("--db", str(tmp_path / "d.sqlite"), "import", str(folder))
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()  # a line every 50 files, and each refused file
    assert lines[0] == "[50/52] 已导入 50 个，未导入 0 个"
    assert lines[1].startswith("[52/52] x.json：未导入。不是交换格式文件（(根)：") and len(lines) == 2
    assert (
        result.stdout.splitlines()[0]
        == "共 52 个文件：已导入 51 个（其中 50 个为带标记的草稿），未导入 1 个。"
    )
