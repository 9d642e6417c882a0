"""Answer modal message boxes in tests without a nested event loop: ``QMessageBox.exec`` is
replaced by a function that records what the box said and clicks the button queued for it.

    answers = MessageAnswers(monkeypatch)
    answers.queue("取消")
    window.show_section("中心")
    assert answers.asked[0].informative == "切换到“中心”前要保存这些修改吗？"

A box that opens with no answer queued fails the test (the code asked when it should not have).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtWidgets import QMessageBox


@dataclass(frozen=True)
class Asked:
    title: str
    text: str
    informative: str
    buttons: list[str]
    default: str
    escape: str


class MessageAnswers:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.asked: list[Asked] = []
        self._queued: list[str] = []
        monkeypatch.setattr(QMessageBox, "exec", lambda box: self._reply(box))

    def queue(self, *button_texts: str) -> None:
        """Answer the next boxes, in order, with the buttons so labelled."""
        self._queued.extend(button_texts)

    @property
    def pending(self) -> list[str]:
        return list(self._queued)

    def _reply(self, box: QMessageBox) -> int:
        default = box.defaultButton()
        escape = box.escapeButton()
        self.asked.append(
            Asked(
                title=box.windowTitle(),
                text=box.text(),
                informative=box.informativeText(),
                buttons=[b.text() for b in box.buttons()],
                default=default.text() if default is not None else "",
                escape=escape.text() if escape is not None else "",
            )
        )
        if not self._queued:
            raise AssertionError(f"an unexpected question: {box.text()}")
        wanted = self._queued.pop(0)
        [button] = [b for b in box.buttons() if b.text() == wanted]
        button.click()
        return 0
