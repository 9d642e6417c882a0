"""The main window: navigation on the left, one page per section on the right, counts in the status bar.

Keyboard (clerks live in Excel): Ctrl+1…Ctrl+9 or Alt+1…Alt+9 switch sections, Ctrl+F jumps to the
中心 filter, Enter opens the selected centre, Esc clears the filter.
"""

from __future__ import annotations

import re
import time

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from lzcenter_desktop import APP_NAME
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.ui.committees.page import CommitteesPage
from lzcenter_desktop.ui.declarations.page import DeclarationsPage
from lzcenter_desktop.ui.documents.page import DocumentsPage
from lzcenter_desktop.ui.pages.centers import CentersPage, status_summary
from lzcenter_desktop.ui.pages.placeholder import PlaceholderPage
from lzcenter_desktop.ui.pages.rules import RulesPage
from lzcenter_desktop.ui.pages.settings import SettingsPage

# (section, what it will do) for the sections not built in this version.
PLANNED_SECTIONS: dict[str, str] = {
    "评审": (
        "组织专家评审和现场考察打分：按第十条（三）各占50%计算总分，处理专家回避，"
        "形成拟认定名单并登记公示结果。"
    ),
    "年报": "登记各中心每年报送的《柳州市工程技术研究中心工作年报》，按第二十一条检查报送期限。",
    "绩效评估": (
        "按第二十二条至第二十四条组织绩效评估：录入评估得分，确定优秀、合格、整改、不合格等次，跟踪整改。"
    ),
}

SECTIONS: tuple[str, ...] = ("中心", "申报", "评审", "委员会", "年报", "绩效评估", "文档", "规则", "设置")


def database_label(ctx: AppContext) -> str:
    """The database as shown in the title bar: the file name, or the URL without its password."""
    db = ctx.db
    if db.path is not None:
        return db.path.name
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", db.url)


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(f"{APP_NAME} — {database_label(ctx)}")
        self.resize(1280, 800)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setMinimumWidth(110)
        self.nav.setMaximumWidth(180)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}

        self.centers_page = CentersPage(ctx)
        self.rules_page = RulesPage(ctx)
        self.settings_page = SettingsPage(ctx)
        self.committees_page = CommitteesPage(ctx)
        self.declarations_page = DeclarationsPage(ctx)
        self.documents_page = DocumentsPage(ctx)
        for number, section in enumerate(SECTIONS, start=1):
            page: QWidget
            if section == "中心":
                page = self.centers_page
            elif section == "规则":
                page = self.rules_page
            elif section == "设置":
                page = self.settings_page
            elif section == "委员会":
                page = self.committees_page
            elif section == "申报":
                page = self.declarations_page
            elif section == "文档":
                page = self.documents_page
            else:
                page = PlaceholderPage(section, PLANNED_SECTIONS[section])
            page.setObjectName(f"page_{number}")
            self.pages[section] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(section)
            item.setToolTip(f"{section}（Ctrl+{number} 或 Alt+{number}）")
            item.setSizeHint(QSize(100, 36))
            self.nav.addItem(item)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([130, 1150])
        self.setCentralWidget(splitter)

        self.count_label = QLabel()
        self.count_label.setObjectName("centerCount")
        self.statusBar().addPermanentWidget(self.count_label)
        self.centers_page.counts_changed.connect(self._show_counts)
        self._show_counts(0, 0)

        self._loaded_once: set[str] = set()
        self.nav.currentRowChanged.connect(self._switch)
        for number in range(1, len(SECTIONS) + 1):
            for modifier in ("Ctrl", "Alt"):
                shortcut = QShortcut(QKeySequence(f"{modifier}+{number}"), self)
                shortcut.activated.connect(lambda n=number: self.show_section(SECTIONS[n - 1]))
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.focus_center_filter)

        self.nav.setCurrentRow(0)
        self.centers_page.reload()

    # -- navigation ----------------------------------------------------------------------------
    def show_section(self, section: str) -> None:
        self.nav.setCurrentRow(SECTIONS.index(section))

    def current_section(self) -> str:
        return SECTIONS[self.nav.currentRow()]

    def _switch(self, row: int) -> None:
        if row < 0:
            return
        section = SECTIONS[row]
        self.stack.setCurrentWidget(self.pages[section])
        first_visit = section not in self._loaded_once
        self._loaded_once.add(section)
        if first_visit and section == "规则":
            self.rules_page.refresh()
        elif first_visit and section == "设置":
            self.settings_page.refresh()
        elif section == "文档" and not first_visit:
            # Recognitions and declarations made on other pages since the last visit.
            self.documents_page.reload()
        elif section == "中心" and not first_visit:
            self.centers_page.reload()
        if section == "中心":
            self.statusBar().clearMessage()

    def focus_center_filter(self) -> None:
        self.show_section("中心")
        self.centers_page.focus_filter()

    def _show_counts(self, total: int, visible: int) -> None:
        self.count_label.setText(status_summary(total, visible))

    # -- for the self-test and screenshots -----------------------------------------------------
    def wait_until_idle(self, timeout_s: float = 10.0) -> bool:
        """Process events until background loads are done (offscreen self-test); True if they are."""
        from lzcenter_desktop.ui.tasks import running_tasks

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            QCoreApplication.processEvents()
            if not running_tasks():
                QCoreApplication.processEvents()
                return True
            time.sleep(0.005)
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.settings_page.is_dirty():
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Question)
            box.setWindowTitle("有未保存的修改")
            box.setText("“设置”中的规则参数有未保存的修改，关闭后这些修改会丢失。仍要关闭吗？")
            close_anyway = box.addButton("仍然关闭", QMessageBox.ButtonRole.DestructiveRole)
            stay = box.addButton("返回修改", QMessageBox.ButtonRole.RejectRole)
            box.setDefaultButton(stay)
            box.exec()
            if box.clickedButton() is not close_anyway:
                self.show_section("设置")
                event.ignore()
                return
        event.accept()
