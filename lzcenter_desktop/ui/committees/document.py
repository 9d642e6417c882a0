"""The edited (unsaved) committees of one centre, its undo stack and its live rule check."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from lzcenter_desktop.domain.committees import check_committees
from lzcenter_desktop.domain.model import Committees, UnitConfirmation
from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS, RuleSettings
from lzcenter_desktop.domain.violations import Violation


class _SetValue(QUndoCommand):
    def __init__(self, doc: CommitteeDocument, before: Committees, after: Committees, text: str) -> None:
        super().__init__(text)
        self._doc, self._before, self._after = doc, before, after

    def redo(self) -> None:
        self._doc._set(self._after)

    def undo(self) -> None:
        self._doc._set(self._before)


class CommitteeDocument(QObject):
    """Holds the value every editor of the page shows; every change is an undoable command.

    After each change the rules M11–M16 run on the unsaved value (``violations``) and
    ``changed`` is emitted; the editors redraw from ``value`` and ``violations``.
    """

    changed = Signal()

    def __init__(
        self,
        value: Committees,
        *,
        settings: RuleSettings = DEFAULT_SETTINGS,
        as_of: date | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.as_of = as_of or date.today()
        self.undo_stack = QUndoStack(self)
        # The clerk's answers on units likely part of the host (kept in the registry, not undone):
        # every value set, undo and redo included, carries the latest ones.
        self._confirmations = value.unit_confirmations
        self._value = value
        self._violations = check_committees(value, settings, as_of=self.as_of)

    @property
    def value(self) -> Committees:
        return self._value

    @property
    def violations(self) -> list[Violation]:
        return self._violations

    def apply(self, value: Committees, text: str) -> None:
        """Make ``value`` the current one as an undoable step named ``text`` (e.g. 添加委员)."""
        if value == self._value:
            return
        self.undo_stack.push(_SetValue(self, self._value, value, text))

    def reset(self, value: Committees) -> None:
        """A freshly loaded or saved value: no undo history, clean."""
        self.undo_stack.clear()
        self._confirmations = value.unit_confirmations
        self._set(value)

    def set_unit_confirmations(self, confirmations: tuple[UnitConfirmation, ...]) -> None:
        """The registry's answers changed (saved at once, not an undoable edit of the record)."""
        self._confirmations = tuple(confirmations)
        self._set(self._value)

    def _set(self, value: Committees) -> None:
        if value.unit_confirmations != self._confirmations:
            value = replace(value, unit_confirmations=self._confirmations)
        self._value = value
        self._violations = check_committees(value, self.settings, as_of=self.as_of)
        self.changed.emit()

    def violations_at(self, path: str) -> list[Violation]:
        """Violations whose path is ``path`` exactly."""
        return [v for v in self._violations if v.path == path]

    def violations_under(self, prefix: str) -> list[Violation]:
        return [
            v for v in self._violations if v.path == prefix or v.path.startswith((prefix + ".", prefix + "["))
        ]
