"""Small dialogs the 绩效评估 tabs share: a step on a typed date, asked first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from lzcenter_desktop.ui.evaluation.common import EVALUATION_KINDS
from lzcenter_desktop.ui.review.common import FormDialog, date_field, typed_date


class DateStepDialog(FormDialog):
    """A step on a typed date, asked first: ``run(date)`` is the write."""

    def __init__(
        self,
        parent: QWidget,
        title: str,
        text: str,
        date_name: str,
        ok_text: str,
        run: Callable[[Any], Any],
        *,
        confirm: tuple[str, str, str],
        today: Any,
        kinds: frozenset[str] = EVALUATION_KINDS,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__(parent, title, ok_text, kinds=kinds, on_done=on_done)
        self._run_with = run
        self._confirm = confirm
        self.date_name = date_name
        intro = QLabel(text, self)
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.on = date_field(today, date_name)
        label = QLabel(f"{date_name}(&D)：", self)
        label.setBuddy(self.on)
        self.form.addRow(label, self.on)
        self.resize(520, self.sizeHint().height())

    def action(self) -> Callable[[], Any]:
        on = typed_date(self.on, self.date_name)
        return lambda: self._run_with(on)

    def confirmation(self) -> tuple[str, str, str] | None:
        return self._confirm
