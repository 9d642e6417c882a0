"""The review package on the expert's laptop (评审模式): reading the package, saving the return
file and reopening it to go on — files only, no database.

Nothing here opens or needs a database: the package file is the only input, the return file the
only output (written completely or not at all, :mod:`lzcenter_desktop.services.output`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lzcenter_desktop.domain import review_package as fmt
from lzcenter_desktop.services import output
from lzcenter_desktop.services.errors import ServiceError

MAX_FILE_BYTES = 50 * 1024 * 1024

Entries = Mapping[int, tuple[Mapping[str, str], str]]  # assignment id → (points by key, comment)
Work = dict[int, tuple[dict[str, str], str]]


@dataclass(frozen=True, slots=True)
class SavedReturn:
    """What was saved: the file, how many declarations are fully scored, and whether it was saved
    after the scoring deadline (the bureau then needs an administrator's reason to import it)."""

    path: Path
    scored: int
    total: int
    late: bool
    deadline: dt.date | None

    @property
    def complete(self) -> bool:
        return self.scored == self.total

    def text(self) -> str:
        head = f"已保存评分回执“{self.path.name}”（{self.path.parent}）"
        if self.complete:
            body = f"：{self.total} 份申报书均已评完。请将该文件交回市科技局。"
        else:
            body = (
                f"：已评完 {self.scored} 份，尚有 {self.total - self.scored} 份未评完。"
                "未评完的回执市科技局无法导入，请评完后再次保存。"
            )
        if self.late and self.deadline is not None:
            body += f"注意：已过评分截止日期（{self.deadline.isoformat()}），导入时需市科技局管理员同意。"
        return head + body


def _read(path: Path, what: str) -> bytes:
    target = Path(path)
    try:
        if target.stat().st_size > MAX_FILE_BYTES:
            raise ServiceError(f"文件“{target.name}”过大，不是本系统导出的{what}", field="文件")
        return target.read_bytes()
    except FileNotFoundError:
        raise ServiceError(f"找不到文件“{target}”，请确认文件位置", field="文件") from None
    except IsADirectoryError:
        raise ServiceError(f"“{target}”是一个文件夹，请选择{what}（.lzreview 文件）", field="文件") from None
    except OSError as exc:
        raise ServiceError(f"无法读取文件“{target}”：{exc.strerror or exc}", field="文件") from None


def read_package_file(path: Path) -> fmt.OpenedPackage:
    """The package at ``path``, checked (format, kind, SHA-256 of the entries); ``ServiceError``
    naming the file and the reason otherwise."""
    data = _read(path, "评审包")
    try:
        return fmt.open_package(data)
    except fmt.PackageError as exc:
        raise ServiceError(f"无法打开“{Path(path).name}”：{exc.message}", field="文件") from None


def default_return_path(package_path: Path, expert_name: str) -> Path:
    """``<package>-<expert>-回执.lzreview`` beside the package."""
    package = Path(package_path)
    return package.with_name(fmt.return_file_name(package.stem, expert_name))


def load_return_work(
    path: Path, opened: fmt.OpenedPackage, expert_id: int
) -> dict[int, tuple[dict[str, str], str]]:
    """The points saved earlier in the return file at ``path`` for ``expert_id`` (to go on where
    the expert stopped): assignment id → (points, comment). ``ServiceError`` when the file is not
    this expert's return of this package or was changed."""
    data = _read(path, "评分回执")
    expert = opened.package.expert(expert_id)
    try:
        ret = fmt.open_return(data, session_id=opened.package.session_id, key=expert.return_key).ret
    except fmt.PackageError as exc:
        raise ServiceError(f"无法读取回执“{Path(path).name}”：{exc.message}", field="文件") from None
    if ret.expert_id != expert_id:
        raise ServiceError(
            f"回执“{Path(path).name}”是专家{ret.expert_name}的，不是{expert.name}的", field="文件"
        )
    if ret.package_sha256 != opened.manifest_sha256:
        raise ServiceError(
            f"回执“{Path(path).name}”是由另一个评审包生成的（评审包已重新导出），不能接着使用", field="文件"
        )
    known = {a.assignment_id for a in opened.package.assignments_of(expert_id)}
    return {s.assignment_id: (dict(s.points), s.comment) for s in ret.sets if s.assignment_id in known}


def start_entries(opened: fmt.OpenedPackage, expert_id: int) -> Work:
    """The points to start from: the expert's own scores the package carries."""
    out: Work = {}
    for a in opened.package.assignments_of(expert_id):
        if a.current is not None:
            out[a.assignment_id] = (dict(a.current.points), a.current.comment)
    return out


def save_return_file(
    opened: fmt.OpenedPackage,
    expert_id: int,
    entries: Entries,
    path: Path,
    *,
    now: dt.datetime | None = None,
) -> SavedReturn:
    """Write the expert's return file to ``path`` (must end with ``.lzreview``)."""
    target = Path(path)
    if target.suffix.lower() != fmt.SUFFIX:
        raise ServiceError(f"回执文件“{target.name}”应以 {fmt.SUFFIX} 结尾", field="文件")
    moment = now or dt.datetime.now().astimezone()
    ret = fmt.make_return(opened, expert_id, entries, saved_at=moment)
    data = fmt.return_bytes(ret, key=opened.package.expert(expert_id).return_key)
    output.write_bytes(target, data)
    deadline = opened.package.deadline
    return SavedReturn(
        path=target,
        scored=sum(1 for s in ret.sets if s.complete),
        total=len(ret.sets),
        late=deadline is not None and ret.saved_on > deadline,
        deadline=deadline,
    )
