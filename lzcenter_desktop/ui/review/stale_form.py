"""A :class:`~lzcenter_desktop.ui.review.common.FormDialog` that answers a stale save (optimistic
locking, services/versioning.py) with the 该记录已被他人修改 box of ui/dialogs/stale.py — 重新载入
/ 比较 / 取消 — instead of a plain refusal, and keeps the dialog open with nothing saved.

A subclass gives :meth:`shown_values` (the fields as typed, by their Chinese labels),
:meth:`stored_reader` (a callable run on a worker thread that reads the stored values by the same
labels) and :meth:`reload` (drop the edit: read the record again, its new version included, and show
it). A subclass that gives none of them (``stored_reader`` returning None) reports the refusal in red
as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from lzcenter_desktop.ui.dialogs.stale import offer_reload
from lzcenter_desktop.ui.review.common import FormDialog, show_in

RELOADED_NOTE = "已重新载入数据库中的当前内容，您之前的修改已放弃。"


class StaleAwareForm(FormDialog):
    def shown_values(self) -> dict[str, str]:
        return {}

    def stored_reader(self) -> Callable[[], Mapping[str, str]] | None:
        return None

    def reload(self) -> None:
        """Read the record again and show it (a subclass; call :meth:`show_reloaded` when shown)."""

    def show_reloaded(self) -> None:
        show_in(self.error, RELOADED_NOTE, level="note")
        self.fit()

    def _failed(self, exc: BaseException) -> None:
        reader = self.stored_reader()
        dialog = (
            offer_reload(self, exc, mine=self.shown_values(), fetch_theirs=reader, on_reload=self.reload)
            if reader is not None
            else None
        )
        if dialog is None:
            super()._failed(exc)
            return
        self.running = False
        self.ok_button.setEnabled(True)
        self.show_error(str(exc))
