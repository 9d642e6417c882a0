"""The declaration wizard, one image per page (``wizard-01-center.png`` … ``wizard-11-review.png``),
on the public example with a few things to flag: 8 staff, the 8th without a degree (flagged on the
cell), an English name not in the form of 第二十六条, no equipment (a warning), and a scanned
attachment on the signature page.

The same scene as ``tests/gui/test_declaration_wizard.py::test_screenshot_of_every_page``, which
checks it; this script only saves the images.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from shots_common import grab, process, wait

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "data" / "examples" / "declaration-enterprise.json"
SIZE = (1000, 720)


def wizard_pages(out: Path) -> list[Path]:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    from lzcenter_desktop.services import declarations
    from lzcenter_desktop.services.context import open_app
    from lzcenter_desktop.ui.app import create_application
    from lzcenter_desktop.ui.declarations.wizard import DeclarationWizard

    create_application()
    written: list[Path] = []
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["staff"] = data["staff"][:8]
    data["center"]["name_en"] = "Liuzhou Construction Machinery Research Center"  # D26 beside the field
    data["center"]["equipment"] = []  # a warning: D9.5b
    with tempfile.TemporaryDirectory(prefix="lzcenter-wizard-shots-") as tmp:
        ctx = open_app(str(Path(tmp) / "w.sqlite"), operator="截图")
        try:
            did = declarations.import_declaration_data(ctx, data=data).declaration_id
            wizard = DeclarationWizard(ctx, did)
            staff = wizard.table_editor("staff")
            staff.model.setData(staff.model.index(7, 2), None)  # the 8th row loses its degree
            scan = Path(tmp) / "营业执照.png"
            image = QImage(300, 200, QImage.Format.Format_RGB32)
            image.fill(Qt.GlobalColor.lightGray)
            image.save(str(scan))
            panel = wizard.page_for("signature").attachments
            assert panel is not None
            panel.add_file(scan, "营业执照（副本）")
            wait(lambda: panel.list.count() == 1, "附件")
            panel.list.setCurrentRow(0)
            wizard.resize(*SIZE)
            wizard.show()
            for n, page_id in enumerate(wizard.pageIds(), start=1):
                while wizard.currentId() != page_id:
                    wizard.next()
                process(0.2)
                section = getattr(wizard.currentPage(), "section", None)
                grab(wizard, out / f"wizard-{n:02d}-{section.id if section else 'page'}.png", written)
            wait(lambda: not wizard.has_unsaved_changes(), "向导保存")
            wizard.close()
            wizard.deleteLater()
            process(0.2)
        finally:
            ctx.db.dispose()
    return written
