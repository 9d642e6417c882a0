"""The command line's words: exit codes, the error a user can act on, argument types (dates, ids,
sizes) and argparse speaking Chinese."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 70


class CliError(Exception):
    """A problem the user can act on; printed as a Chinese message, never as a traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效，应为 YYYY-MM-DD，例如 2026-11-26") from None


SQLITE_MAX_ID = 2**63 - 1  # SQLite's largest integer: no record can have a larger id
_ID_DIGITS = len(str(SQLITE_MAX_ID))


class UnknownRecordId:
    """An id typed on the command line that no record can have (beyond SQLite's integers).

    ``main`` answers it with "…不存在" before the command runs, as it would for any missing record.
    """

    def __init__(self, text: str, label: str) -> None:
        self.text = text
        self.label = label

    def message(self) -> str:
        digits = self.text.lstrip("+-")
        shown = self.text if len(digits) <= 40 else f"{self.text[:24]}…（共 {len(digits)} 位数字）"
        return f"编号为 {shown} 的{self.label}不存在。请检查编号（可在主窗口的列表中查到）。"


def record_id(label: str) -> Callable[[str], int | UnknownRecordId]:
    """argparse ``type`` for the id of a ``label`` record: an int, or :class:`UnknownRecordId`
    for a number too large for any record (never an OverflowError later)."""

    def parse(text: str) -> int | UnknownRecordId:
        import re

        cleaned = text.strip()
        if not re.fullmatch(r"[+-]?[0-9]+", cleaned):
            raise argparse.ArgumentTypeError(f"{label}编号“{text}”不是整数")
        digits = cleaned.lstrip("+-").lstrip("0")
        if len(digits) > _ID_DIGITS or abs(int(cleaned)) > SQLITE_MAX_ID:
            return UnknownRecordId(cleaned, label)
        return int(cleaned)

    return parse


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        return super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its own words in Chinese too (用法, 位置参数, 选项, -h), for every sub-command."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}：参数错误：{chinese_argparse_message(message)}\n")


_ARGPARSE_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"^the following arguments are required: (.+)$", r"缺少必需的参数：\1"),
    (r"^unrecognized arguments: (.+)$", r"无法识别的参数：\1"),
    (
        r"^argument (\S+): invalid choice: '?(.*?)'? \(choose from (.+)\)$",
        r"参数 \1：“\2”不是可选值（可选：\3）",
    ),
    (r"^argument (\S+): invalid int value: '(.*)'$", r"参数 \1：“\2”不是整数"),
    (r"^argument (\S+): expected one argument$", r"参数 \1 后面需要一个值"),
    (r"^argument (\S+): (.+)$", r"参数 \1：\2"),
)


def chinese_argparse_message(message: str) -> str:
    """argparse's English error sentences in Chinese (the argument names stay as typed)."""
    import re

    for pattern, replacement in _ARGPARSE_MESSAGES:
        if re.match(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


def parse_size(text: str) -> tuple[float, float]:
    cleaned = text.strip().lower().replace("×", "x").replace("*", "x").removesuffix("mm")
    parts = cleaned.split("x")
    try:
        if len(parts) != 2:
            raise ValueError
        width, height = float(parts[0]), float(parts[1])
    except ValueError:
        raise argparse.ArgumentTypeError(f"牌匾尺寸“{text}”无效，应为 宽x高（毫米），例如 600x400") from None
    return width, height
