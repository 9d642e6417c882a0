"""Points per indicator of the round's evaluation sheet — the centre's self-evaluation or one
expert's scores — typed in the same score form as the review (评审模式), the running sum and the
problems shown as they are typed; the service checks again when the dialog saves.

Esc, 取消 or the window's close after something was typed asks the program's unsaved-changes
question (ui/dialogs/unsaved.py): 保存 submits as the OK button does (a refusal keeps the dialog
open with its reason), 不保存 closes without writing, 取消 keeps editing. Nothing typed (or typed
back to what was there): it closes without asking.

An expert's scores are saved with the version of the evaluation the form opened with (``version``):
when another clerk saved a score of the same evaluation meanwhile, the 该记录已被他人修改 box opens
(ui/review/stale_form.py) — 比较 reads the stored points with ``reread``, 重新载入 shows them (and
the new version), 取消 keeps editing; nothing is saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QScrollArea, QWidget

from lzcenter_desktop.domain.scoresheet import ScoreSheet
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.dialogs.unsaved import Answer, answer_of, unsaved_question
from lzcenter_desktop.ui.evaluation.common import EVALUATION_KINDS
from lzcenter_desktop.ui.review.common import date_field, typed_date
from lzcenter_desktop.ui.review.stale_form import StaleAwareForm
from lzcenter_desktop.ui.review_mode.score_form import ScoreForm


@dataclass(frozen=True, slots=True)
class StoredPoints:
    """What is stored now (read by ``reread`` off the UI thread) and the version to save from."""

    points: Mapping[str, str]
    comment: str
    day: dt.date | None
    version: int


class PointsDialog(StaleAwareForm):
    """``run(points, comment, scored_on)`` is the write (``scored_on`` None without ``date_name``);
    with ``version``, ``run(points, comment, scored_on, version)``."""

    def __init__(
        self,
        parent: QWidget,
        title: str,
        heading: str,
        sheet: ScoreSheet,
        run: Callable[..., Any],
        *,
        points: Mapping[str, str] | None = None,
        comment: str = "",
        date_name: str | None = None,
        day: dt.date | None = None,
        ok_text: str = "保存(&O)",
        with_comment: bool = True,
        on_done: Callable[[Any], None] | None = None,
        version: int | None = None,
        reread: Callable[[], StoredPoints] | None = None,
    ) -> None:
        super().__init__(parent, title, ok_text, kinds=EVALUATION_KINDS, on_done=on_done)
        self._run_with = run
        self.version = version
        self.reread = reread
        self.date_name = date_name
        top = QLabel(heading, self)
        top.setObjectName("pointsHeading")
        top.setWordWrap(True)
        top.setStyleSheet("font-weight: bold;")
        self.form.addRow(top)
        self.score_form = ScoreForm(sheet, self)
        if points:
            self.score_form.set_values(dict(points), comment)
        if not with_comment:  # a self-evaluation has no comment to store
            self.score_form.comment.hide()
            for label in self.score_form.findChildren(QLabel):
                if label.buddy() is self.score_form.comment:
                    label.hide()
        area = QScrollArea(self)
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setWidget(self.score_form)
        area.setMinimumSize(self.fontMetrics().horizontalAdvance("中") * 40, 380)
        self.form.addRow(area)
        self.on = None
        if date_name is not None:
            self.on = date_field(day, date_name)
            label = QLabel(f"{date_name}(&D)：", self)
            label.setBuddy(self.on)
            self.form.addRow(label, self.on)
        self.resize(max(self.width(), 680), min(700, max(self.sizeHint().height(), 560)))
        self.score_form.focus_first()
        self.unsaved_box: QMessageBox | None = None  # the unsaved-changes question while it is open
        self._as_opened = self._typed()

    # -- leaving with something typed -------------------------------------------------------------
    def _typed(self) -> tuple[dict[str, str], str, str]:
        on = self.on.line.text().strip() if self.on is not None else ""
        return self.score_form.points(), self.score_form.comment_text(), on

    def unsaved_changes(self) -> str | None:
        """What would be lost by closing now (None when nothing was typed)."""
        if self._typed() == self._as_opened:
            return None
        return f"{self.windowTitle()}：已填写的得分"

    def reject(self) -> None:
        """Esc, 取消 and the window's close: ask first when something typed is unsaved."""
        what = self.unsaved_changes()
        if self.running or what is None:
            super().reject()
            return
        if self.unsaved_box is not None:  # already asking
            return
        box = unsaved_question(self, [what], "保存后再关闭吗？")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.unsaved_box = box
        box.finished.connect(lambda _code: self._answered(answer_of(box)))
        box.open()

    def _answered(self, answer: Answer) -> None:
        self.unsaved_box = None
        if answer is Answer.SAVE:
            self.submit()
        elif answer is Answer.DISCARD:
            QDialog.reject(self)

    def action(self) -> Callable[[], Any]:
        check = self.score_form.check()
        if check.problems:
            raise ServiceError("；".join(check.problems.values()), field="得分")
        if check.missing:
            names = "、".join(self.score_form.sheet.indicator(k).name for k in check.missing)
            raise ServiceError(f"以下指标尚未填写得分：{names}", field="得分")
        on = typed_date(self.on, self.date_name or "日期") if self.on is not None else None
        points, comment = self.score_form.points(), self.score_form.comment_text()
        run, version = self._run_with, self.version
        if version is None:
            return lambda: run(points, comment, on)
        return lambda: run(points, comment, on, version)

    # -- saved by someone else meanwhile ----------------------------------------------------------
    def _fields(self, points: Mapping[str, str], comment: str, day: str) -> dict[str, str]:
        out = {i.name: points.get(i.key, "") for i in self.score_form.sheet.indicators}
        out["评估意见"] = comment
        if self.date_name is not None:
            out[self.date_name] = day
        return out

    def shown_values(self) -> dict[str, str]:
        points, comment, day = self._typed()
        return self._fields(points, comment, day)

    def stored_reader(self) -> Callable[[], Mapping[str, str]] | None:
        reread = self.reread
        if reread is None:
            return None

        def read() -> Mapping[str, str]:
            now = reread()
            return self._fields(now.points, now.comment, now.day.isoformat() if now.day else "")

        return read

    def reload(self) -> None:
        if self.reread is None:
            return
        ops.query_op(self.reread, parent=self, key=f"points-reload:{id(self)}", on_success=self.show_stored)

    def show_stored(self, stored: StoredPoints) -> None:
        """Show the stored points; the next save starts from their version."""
        self.version = stored.version
        self.score_form.set_values(dict(stored.points), stored.comment)
        if self.on is not None:
            self.on.setDate(stored.day)
        self._as_opened = self._typed()
        self.show_reloaded()
