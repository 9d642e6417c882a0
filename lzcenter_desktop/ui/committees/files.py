"""The files of the 委员会 page: import a committees JSON file into the open centre, export the saved
record as JSON, the roster shown (unsaved edits included) as Excel or PDF. Reading and writing run
off the UI thread (:mod:`ui.ops`, :func:`ui.tasks.run_in_background`); the outcome arrives on the
page's message line (:class:`~lzcenter_desktop.ui.committees.page.CommitteesPage` keeps the state)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog

from lzcenter_desktop.domain.model import Committees
from lzcenter_desktop.services import committee_export, committees, inbound
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.tasks import run_in_background

if TYPE_CHECKING:
    from lzcenter_desktop.ui.committees.page import CommitteesPage

Imported = tuple[committees.ImportSummary, Committees, list[committees.OrganizationChoice], int]


#: The largest committees JSON file imported: an example of 16 people is about 6 KB.
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def read_committees_json(path: Path) -> Any:
    """The JSON value of a committees file, read with bounds (:func:`services.inbound.read_json_file`):
    only a regular file of at most :data:`MAX_IMPORT_BYTES` — a pipe or a device is refused before
    it is opened, never read —, UTF-8, without duplicate keys, deep nesting or lone surrogates.
    Raises :class:`services.inbound.UnreadableFile` with a Chinese message naming the file."""
    return inbound.read_json_file(path, max_bytes=MAX_IMPORT_BYTES)


class CommitteeFiles:
    """Import and export of the 委员会 page: the page's buttons and its public methods call these."""

    def __init__(self, page: CommitteesPage) -> None:
        self.page = page

    def import_file(self, path: Path) -> bool:
        """Start importing a committees JSON file into the open centre; False when it cannot start.
        The outcome (the numbers of people, or the Chinese error) arrives on the page."""
        if self.page.center_id is None or self.page._blocked():
            return False
        if self.page.is_dirty() and not self.page.confirm_discard():
            return False
        ctx, center_id = self.page.ctx, self.page.center_id

        def work() -> Imported:
            summary = committees.import_committees_json(
                ctx, center_id=center_id, data=read_committees_json(path)
            )
            version = committees.roster_version(ctx, center_id=center_id)  # the import raised it
            return (
                summary,
                committees.load_committees(ctx, center_id=center_id),
                committees.organization_choices(ctx),
                version,
            )

        def done(result: Imported) -> None:
            summary, value, orgs, version = result
            if center_id == self.page.center_id and self.page.doc is not None:
                self.page._saved_value = value
                self.page.roster_version = version
                self.page._set_organizations(orgs)
                self.page.doc.reset(value)
            self.page.show_message(
                f"已导入“{path.name}”：新登记 {summary.people_created} 人，"
                f"匹配已有人员 {summary.people_matched} 人。"
            )
            self.page._end("import")

        def failed(exc: BaseException) -> None:
            self.page._failed("import", exc, "未导入：")  # the file's fault or the service's, named

        self.page._begin("import", f"正在导入“{path.name}”…")
        ops.write_op(
            work,
            parent=self.page,
            kinds={"committees", "people", "organizations"},
            on_success=done,
            on_failure=failed,
        )
        return True

    def export_json(self, path: Path) -> bool:
        """Start writing the saved record to ``path``; False when it cannot start (unsaved edits)."""
        if self.page.center_id is None or self.page._blocked():
            return False
        if self.page.is_dirty():
            self.page.show_message("导出JSON：导出的是已保存的记录，请先保存修改", ok=False)
            return False
        ctx, center_id = self.page.ctx, self.page.center_id

        def work() -> Path:
            text = committees.export_json_text(ctx, center_id=center_id)
            path.write_text(text, encoding="utf-8")
            return path

        self.page._begin("export", f"正在导出：{path.name}…")
        ops.query_op(work, parent=self.page, on_success=self._exported, on_failure=self._export_failed(path))
        return True

    def export_roster(self, path: Path, kind: str) -> bool:
        """Start writing the roster shown (unsaved edits included) as Excel or PDF to ``path``."""
        if self.page.doc is None or self.page._blocked():
            return False
        value, as_of, settings = self.page.doc.value, self.page.as_of, self.page.doc.settings
        index = self.page.experts.term_index if self.page.experts is not None else None
        term = index if index is not None and index >= 0 else None

        def work() -> tuple[str, ...]:
            if kind == "xlsx":
                return committee_export.write_roster_xlsx(value, path, as_of=as_of, settings=settings).notes
            committee_export.write_roster_pdf(value, path, term_index=term)
            return ()

        def done(notes: tuple[str, ...]) -> None:
            if notes:
                self.page.show_message(f"已导出：{path}；" + "；".join(notes), ok=False)
            else:
                self.page.show_message(f"已导出：{path}")
            self.page._end("export")

        self.page._begin("export", f"正在导出名单：{path.name}…")
        run_in_background(work, parent=self.page, on_success=done, on_failure=self._export_failed(path))
        return True

    def _exported(self, path: Path) -> None:
        self.page.show_message(f"已导出：{path}")
        self.page._end("export")

    def _export_failed(self, path: Path) -> Callable[[BaseException], None]:
        def failed(exc: BaseException) -> None:
            if isinstance(exc, OSError):
                self.page.show_message(f"导出位置：无法写入“{path}”（{exc.strerror or exc}）", ok=False)
                self.page._end("export")
            else:
                self.page._failed("export", exc, "未导出：")

        return failed

    def import_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.page, "导入委员会记录", "", "委员会记录 (*.json)")
        if name:
            self.import_file(Path(name))

    def export_clicked(self, kind: str) -> None:
        filters = {"json": "委员会记录 (*.json)", "xlsx": "Excel 工作簿 (*.xlsx)", "pdf": "PDF 文件 (*.pdf)"}
        name, _ = QFileDialog.getSaveFileName(self.page, "导出", f"委员会名单.{kind}", filters[kind])
        if not name:
            return
        if kind == "json":
            self.export_json(Path(name))
        else:
            self.export_roster(Path(name), kind)
