"""Keys of the declaration wizard, as a clerk used to WPS and Excel expects them.

* Enter in a field never turns a page (it finishes the field, as Tab does); Enter on a focused
  button presses that button.
* Ctrl+Enter and Alt+N (下一步(&N)) go to the next page, Alt+B (上一步(&B)) back; Ctrl+S stores what
  is pending at once (the wizard saves by itself anyway); Esc or Alt+C (关闭(&C)) closes.
* Every button has its Alt letter: 从 Excel 导入(&I), 导出 Excel(&E), 打印申请书 PDF(&P),
  提交申报书(&T) on the last page, and the attachment panel's 添加附件(&A), 移除所选(&R), 撤销移除(&U),
  打开(&O).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QApplication, QWizard

from lzcenter_desktop.ui.declarations.wizard_files import FilesMixin

NEXT_KEYS = ("Ctrl+Return", "Ctrl+Enter")
BUTTON_TEXTS = {
    QWizard.WizardButton.CustomButton1: "从 Excel 导入(&I)…",
    QWizard.WizardButton.CustomButton2: "导出 Excel(&E)…",
    QWizard.WizardButton.CustomButton3: "打印申请书 PDF(&P)…",
    QWizard.WizardButton.NextButton: "下一步(&N)",
    QWizard.WizardButton.BackButton: "上一步(&B)",
    QWizard.WizardButton.FinishButton: "关闭(&C)",
}

if TYPE_CHECKING:
    from lzcenter_desktop.ui.declarations.wizard_review import ReviewPage


class NavigationMixin(FilesMixin):
    """Buttons, their Alt letters and the page keys of the wizard."""

    if TYPE_CHECKING:
        review_page: ReviewPage | None

        def reveal_all(self) -> None: ...

    def setup_keys(self) -> None:
        for which, text in BUTTON_TEXTS.items():
            self.setButtonText(which, text)
        self.button(QWizard.WizardButton.NextButton).setToolTip("下一页（Alt+N 或 Ctrl+Enter）")
        self.button(QWizard.WizardButton.BackButton).setToolTip("上一页（Alt+B）")
        self.button(QWizard.WizardButton.FinishButton).setToolTip("关闭（已填写的内容都已自动保存）")
        for keys in NEXT_KEYS:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.go_next)
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.setContext(Qt.ShortcutContext.WindowShortcut)
        save.activated.connect(self.save_typed)
        self.currentIdChanged.connect(self._page_turned)

    def go_next(self) -> None:
        """Ctrl+Enter: the next page (what is being typed is taken first, as leaving it would)."""
        focus = QApplication.focusWidget()
        if focus is not None and self.isAncestorOf(focus):
            self.setFocus(Qt.FocusReason.ShortcutFocusReason)  # leaving the field commits it
        self.next()

    def save_typed(self) -> None:
        """Ctrl+S: take what is being typed and hand it to the write thread now."""
        self._take_typing()
        self.save_now()

    def _page_turned(self, _id: int) -> None:
        self.save_now()
        page = self.currentPage()
        if self.review_page is not None and page is self.review_page:
            self.reveal_all()  # the summary: every problem, on this page and on the others
            return
        for section_page in self.section_pages:
            if section_page is page:
                section_page.focus_first()  # the keyboard goes on in the page's first field

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.go_next()
                event.accept()
                return
            if not isinstance(QApplication.focusWidget(), QAbstractButton):
                event.accept()  # Enter in a field finishes the field; it never turns the page
                return
        super().keyPressEvent(event)
