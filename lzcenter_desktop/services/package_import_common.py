"""What the import of an expert's return file (评分回执) does the same way for a review session
(:mod:`~lzcenter_desktop.services.review.package_import`) and for a performance evaluation round
(:mod:`~lzcenter_desktop.services.evaluation.package_import`): the refusal listing every reason,
reading the file, and opening it — its format and purpose, that it belongs to the session or round
importing it, that this database has that session or round and exported its package, and its
SHA-256 and signature with the key of that package; then the scoring deadline and the points of
each set."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from sqlmodel import Session

from lzcenter_desktop.domain import review_package as fmt
from lzcenter_desktop.domain.scoresheet import ScoreSheet, check_points
from lzcenter_desktop.services.errors import ServiceError

__all__ = [
    "MAX_FILE_BYTES",
    "ReturnRefused",
    "ReturnTarget",
    "open_return_file",
    "read_return_file",
    "refuse_or_late",
    "set_points",
]

MAX_FILE_BYTES = 50 * 1024 * 1024


class ReturnRefused(ServiceError):
    """The return file cannot be imported; ``reasons`` lists every reason (Chinese).

    ``late_only``: the only reason is the deadline, so an import with an override reason (an
    administrator's) would go through."""

    def __init__(self, file_name: str, reasons: list[str], *, late_only: bool = False) -> None:
        lines = "\n".join(f"· {r}" for r in reasons)
        super().__init__(f"回执“{file_name}”不能导入：\n{lines}", field="回执文件")
        self.reasons = tuple(reasons)
        self.late_only = late_only


def read_return_file(path: Path, *, unreadable_hint: str = "") -> bytes:
    """The bytes of the return file at ``path``; a Chinese ``ServiceError`` naming it when it is
    missing, a folder or unreadable (``unreadable_hint`` added to the last), :class:`ReturnRefused`
    when it is larger than :data:`MAX_FILE_BYTES`."""
    target = Path(path)
    try:
        if target.stat().st_size > MAX_FILE_BYTES:
            raise ReturnRefused(target.name, ["文件过大，不是本系统保存的评分回执"])
        return target.read_bytes()
    except FileNotFoundError:
        raise ServiceError(f"找不到文件“{target}”，请确认文件位置", field="回执文件") from None
    except IsADirectoryError:
        raise ServiceError(f"“{target}”是一个文件夹，请选择回执文件（.lzreview）", field="回执文件") from None
    except OSError as exc:
        raise ServiceError(
            f"无法读取文件“{target}”：{exc.strerror or exc}{unreadable_hint}", field="回执文件"
        ) from None


class PackagedRow(Protocol):
    """A review session or an evaluation round: what opening its return files reads."""

    @property
    def id(self) -> int | None: ...

    @property
    def title(self) -> str: ...

    @property
    def package_key(self) -> str | None: ...


R = TypeVar("R", bound=PackagedRow)


@dataclass(frozen=True, slots=True)
class ReturnTarget(Generic[R]):
    """What return files are imported into: the table, the package purpose, and the words of the
    refusals — ``noun`` (评审会), ``this`` (本评审会) and ``never_exported`` (with ``{title}``)."""

    model: type[R]
    purpose: str
    noun: str
    this: str
    never_exported: str


def open_return_file(
    session: Session, name: str, data: bytes, wanted_id: int | None, target: ReturnTarget[R]
) -> tuple[fmt.OpenedReturn, R]:
    """The opened return file ``name`` and the row it belongs to (which must be ``wanted_id`` when
    given), checked with that row's package key; :class:`ReturnRefused` otherwise."""
    try:
        opened = fmt.open_return(data, purpose=target.purpose)
    except fmt.PackageError as exc:
        raise ReturnRefused(name, [exc.message]) from None
    ret = opened.ret
    if wanted_id is not None and ret.session_id != wanted_id:
        here = session.get(target.model, wanted_id)
        title = f"“{here.title}”" if here is not None else f"（编号 {wanted_id}）"
        raise ReturnRefused(
            name,
            [
                f"这是{target.noun}“{ret.session_title}”（编号 {ret.session_id}）的回执，"
                f"不属于{target.this}{title}，请在对应的{target.noun}中导入"
            ],
        )
    row = session.get(target.model, ret.session_id)
    if row is None or row.id is None:
        raise ReturnRefused(
            name,
            [
                f"回执所属的{target.noun}“{ret.session_title}”（编号 {ret.session_id}）在本系统中不存在，"
                "可能来自另一台电脑上的系统"
            ],
        )
    if not row.package_key:
        raise ReturnRefused(name, [target.never_exported.format(title=row.title)])
    try:
        fmt.open_return(data, session_id=row.id, package_key=row.package_key, purpose=target.purpose)
    except fmt.PackageError as exc:
        raise ReturnRefused(name, [exc.message]) from None
    return opened, row


def refuse_or_late(
    name: str, reasons: list[str], saved_on: dt.date, deadline: dt.date | None, *, allow_late: bool
) -> bool:
    """Whether the file was saved after the scoring ``deadline`` (the deadline day itself is on time).
    :class:`ReturnRefused` with every reason — being late among them unless ``allow_late`` — when
    there is any (``late_only`` when being late is the only one)."""
    late = deadline is not None and saved_on > deadline
    if late and not allow_late:
        assert deadline is not None
        reasons.append(
            f"回执保存于 {saved_on.isoformat()}，晚于评分截止日期 {deadline.isoformat()}。"
            "如确需导入，请由管理员填写理由后逾期导入"
        )
    if reasons:
        raise ReturnRefused(name, reasons, late_only=late and not allow_late and len(reasons) == 1)
    return late


def set_points(who: str, center: str, sheet: ScoreSheet, item: fmt.ReturnSet) -> dict[str, Decimal] | str:
    """The exact points of one set of the file (``who`` scoring ``center``), or why they cannot be
    imported (not complete, not valid on the sheet)."""
    if not item.complete:
        missing = [i.name for i in sheet.indicators if not item.points.get(i.key)]
        what = f"缺少：{'、'.join(missing)}" if missing else "有不符合要求的得分"
        return f"{who}对“{center}”的评分未评完（{what}），请专家评完后重新保存回执"
    try:
        return check_points(sheet, item.points)
    except ValueError as exc:
        return f"{who}对“{center}”的评分不符合评分表：{exc}"
