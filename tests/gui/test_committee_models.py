"""The four committee table models keep Qt's model contract (qtmodeltester) on the example record."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from lzcenter_desktop.domain.interchange import parse_committees
from lzcenter_desktop.services.committees import OrganizationChoice
from lzcenter_desktop.ui.committees.directors import DirectorModel
from lzcenter_desktop.ui.committees.document import CommitteeDocument
from lzcenter_desktop.ui.committees.management import ManagementModel
from lzcenter_desktop.ui.committees.meetings import MeetingModel
from lzcenter_desktop.ui.committees.roster import ExpertRosterModel

ORGS = [OrganizationChoice(1, "柳州某某汽车有限公司", "91450200MA5K3L7Q58")]


def _doc(examples_dir: Path) -> CommitteeDocument:
    data = json.loads((examples_dir / "committees.json").read_text(encoding="utf-8"))
    return CommitteeDocument(parse_committees(data), as_of=date(2026, 11, 26))


def test_models_pass_the_model_tester(qtmodeltester: Any, examples_dir: Path) -> None:
    doc = _doc(examples_dir)
    roster = ExpertRosterModel(doc, ORGS)
    roster.set_term(1)
    models = [DirectorModel(doc), ManagementModel(doc), MeetingModel(doc), roster]
    for model in models:
        qtmodeltester.check(model)
    assert [m.rowCount() for m in models[:2]] == [1, 3]
    assert roster.rowCount() == 9


def test_headers_come_from_each_model(examples_dir: Path) -> None:
    from PySide6.QtCore import Qt

    doc = _doc(examples_dir)
    for model in (DirectorModel(doc), ManagementModel(doc), MeetingModel(doc), ExpertRosterModel(doc, ORGS)):
        texts = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
        assert texts == list(model.headers) and all(texts)
        assert model.headerData(len(model.headers), Qt.Orientation.Horizontal) is None
        assert model.headerData(0, Qt.Orientation.Vertical) == "1"
