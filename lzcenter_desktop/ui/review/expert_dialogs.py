"""The dialogs of the 专家库 tab: an expert (add / edit), a relation with an organization (for 回避),
and a line of an applicant's list of experts to avoid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QRadioButton, QWidget

from lzcenter_desktop.domain.recusal import RELATION_LABELS
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import experts
from lzcenter_desktop.services.review.dto import ExpertView
from lzcenter_desktop.ui.review.common import (
    REVIEW_KINDS,
    FormDialog,
    date_field,
    note_label,
    typed_date,
)

_EXPERT_KINDS = frozenset({"review", "organizations", "people"})


def _row(dialog: FormDialog, text: str, widget: QWidget) -> None:
    label = QLabel(text, dialog)
    label.setBuddy(widget)
    dialog.form.addRow(label, widget)


class ExpertDialog(FormDialog):
    """Add an expert to the pool (``expert`` None) or change one's details."""

    def __init__(self, parent: QWidget, ctx: AppContext, *, expert: ExpertView | None = None) -> None:
        super().__init__(
            parent,
            "新增专家" if expert is None else f"修改专家：{expert.name}",
            "添加(&O)" if expert is None else "保存(&O)",
            kinds=_EXPERT_KINDS,
        )
        self.ctx = ctx
        self.expert = expert
        wide = self.fontMetrics().horizontalAdvance("中") * 24
        self.name = QLineEdit(expert.name if expert else "", self)
        self.name.setObjectName("name")
        self.name.setMinimumWidth(wide)
        self.unit = QLineEdit(expert.unit if expert else "", self)
        self.unit.setObjectName("unit")
        self.unit.setPlaceholderText("工作单位全称，将与单位登记关联")
        self.code = QLineEdit((expert.credit_code or "") if expert else "", self)
        self.code.setObjectName("creditCode")
        self.code.setPlaceholderText("18 位，可不填；填写后按代码关联单位")
        self.specialty = QLineEdit(expert.specialty if expert else "", self)
        self.specialty.setObjectName("specialty")
        self.title_edit = QLineEdit((expert.title or "") if expert else "", self)
        self.title_edit.setObjectName("title")
        self.title_edit.setPlaceholderText("如 正高级工程师、教授")
        self.phone = QLineEdit((expert.phone or "") if expert else "", self)
        self.phone.setObjectName("phone")
        self.email = QLineEdit((expert.email or "") if expert else "", self)
        self.email.setObjectName("email")
        self.industries = QLineEdit(expert.industries if expert else "", self)
        self.industries.setObjectName("industries")
        self.industries.setPlaceholderText("熟悉的重点产业，如 汽车、机械（可不填）")
        for text, widget in (
            ("姓名(&N)：", self.name),
            ("单位(&U)：", self.unit),
            ("统一社会信用代码(&C)：", self.code),
            ("专业领域(&F)：", self.specialty),
            ("职称(&T)：", self.title_edit),
            ("电话(&P)：", self.phone),
            ("邮箱(&M)：", self.email),
            ("重点产业(&I)：", self.industries),
        ):
            _row(self, text, widget)

    def action(self) -> Callable[[], Any]:
        ctx = self.ctx
        values: dict[str, Any] = {
            "name": self.name.text(),
            "specialty": self.specialty.text(),
            "title": self.title_edit.text(),
            "phone": self.phone.text(),
            "email": self.email.text(),
            "industries": self.industries.text(),
        }
        unit, code = self.unit.text().strip(), self.code.text().strip()
        if self.expert is None:
            return lambda: experts.create_expert(ctx, unit=unit or None, credit_code=code or None, **values)
        expert = self.expert
        if unit != expert.unit or code != (expert.credit_code or ""):
            values["unit"] = unit
            values["credit_code"] = code
        version = expert.version  # a stale save: ui/review/expert_edit.py
        return lambda: experts.update_expert(ctx, expert_id=expert.id, expected_version=version, **values)


KIND_CHOICES = tuple((kind.value, label) for kind, label in RELATION_LABELS.items())


class RelationDialog(FormDialog):
    """A relation of an expert (or a close relative) with an organization, with its dates."""

    def __init__(self, parent: QWidget, ctx: AppContext, expert: ExpertView) -> None:
        super().__init__(parent, f"添加关系：{expert.name}", "添加(&O)", kinds=REVIEW_KINDS)
        self.ctx = ctx
        self.expert = expert
        self.kind = QComboBox(self)
        self.kind.setObjectName("kind")
        for code, label in KIND_CHOICES:
            self.kind.addItem(label, code)
        self.organization = QLineEdit(self)
        self.organization.setObjectName("organization")
        self.organization.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 22)
        self.organization.setPlaceholderText("有关系的单位全称")
        self.code = QLineEdit(self)
        self.code.setObjectName("creditCode")
        self.code.setPlaceholderText("可不填")
        self.relative = QCheckBox("是专家的近亲属与该单位的关系", self)
        self.relative.setObjectName("relative")
        self.from_on = date_field(None, "关系开始日期", optional=True)
        self.to_on = date_field(None, "关系结束日期", optional=True)
        self.note = QLineEdit(self)
        self.note.setObjectName("note")
        self.source = QComboBox(self)
        self.source.setObjectName("source")
        for code, label in experts.SOURCE_LABELS.items():
            self.source.addItem(label, code)
        for text, widget in (
            ("关系类型(&K)：", self.kind),
            ("单位(&U)：", self.organization),
            ("统一社会信用代码(&C)：", self.code),
            ("近亲属(&R)：", self.relative),
            ("开始日期(&F)：", self.from_on),
            ("结束日期(&T)：", self.to_on),
            ("说明(&N)：", self.note),
            ("来源(&S)：", self.source),
        ):
            _row(self, text, widget)
        self.form.addRow(
            note_label(
                "任职、顾问、纠纷按评审日期前三年内判断；结束日期不填表示关系仍在。"
                "专家本人申报的关系引起的回避不能强制分配。",
                self,
            )
        )

    def action(self) -> Callable[[], Any]:
        from_on = typed_date(self.from_on, "开始日期", required=False)
        to_on = typed_date(self.to_on, "结束日期", required=False)
        ctx, expert_id = self.ctx, self.expert.id
        values: dict[str, Any] = {
            "kind": str(self.kind.currentData()),
            "organization_name": self.organization.text().strip() or None,
            "credit_code": self.code.text().strip() or None,
            "relative": self.relative.isChecked(),
            "from_on": from_on,
            "to_on": to_on,
            "note": self.note.text().strip() or None,
            "source": str(self.source.currentData()),
        }
        return lambda: experts.add_relation(ctx, expert_id=expert_id, **values)


class AvoidDialog(FormDialog):
    """A line of the applicant's list of experts to avoid: an expert of the pool, or a name (and
    unit) as the applicant wrote it, with the applicant's reason."""

    def __init__(
        self,
        parent: QWidget,
        ctx: AppContext,
        *,
        declaration_id: int,
        declaration_name: str,
        pool: list[ExpertView],
        chosen: ExpertView | None = None,
    ) -> None:
        super().__init__(parent, "申报单位申请回避的专家", "添加(&O)", kinds=REVIEW_KINDS)
        self.ctx = ctx
        self.declaration_id = declaration_id
        self.form.addRow(QLabel(declaration_name, self))
        self.from_pool = QRadioButton("专家库中的专家(&P)", self)
        self.by_name = QRadioButton("按申报单位填写的姓名(&W)", self)
        self.expert = QComboBox(self)
        self.expert.setObjectName("expert")
        for e in pool:
            self.expert.addItem(f"{e.name}（{e.unit or '单位未填'}）", e.id)
        if chosen is not None and self.expert.findData(chosen.id) >= 0:
            self.expert.setCurrentIndex(self.expert.findData(chosen.id))
        self.name = QLineEdit(self)
        self.name.setObjectName("name")
        self.unit = QLineEdit(self)
        self.unit.setObjectName("unit")
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reason")
        self.reason.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 22)
        self.reason.setPlaceholderText("申报单位说明的理由")
        self.form.addRow(self.from_pool)
        _row(self, "专家(&E)：", self.expert)
        self.form.addRow(self.by_name)
        _row(self, "姓名(&N)：", self.name)
        _row(self, "单位(&U)：", self.unit)
        _row(self, "理由(&R)：", self.reason)
        self.from_pool.toggled.connect(self._mode)
        (self.from_pool if pool else self.by_name).setChecked(True)
        self.from_pool.setEnabled(bool(pool))
        self._mode()

    def _mode(self) -> None:
        pool = self.from_pool.isChecked()
        self.expert.setEnabled(pool)
        self.name.setEnabled(not pool)
        self.unit.setEnabled(not pool)

    def action(self) -> Callable[[], Any]:
        ctx, did, reason = self.ctx, self.declaration_id, self.reason.text()
        if self.from_pool.isChecked():
            expert_id = self.expert.currentData()
            if expert_id is None:
                raise ServiceError("请选择专家", field="专家")
            return lambda: experts.add_avoid_expert(
                ctx, declaration_id=did, expert_id=expert_id, reason=reason
            )
        name, unit = self.name.text(), self.unit.text().strip() or None
        return lambda: experts.add_avoid_expert(
            ctx, declaration_id=did, expert_name=name, expert_unit=unit, reason=reason
        )


def retire_run(ctx: AppContext, expert_id: int) -> Callable[[str, dt.date], None]:
    return lambda reason, on: experts.retire_expert(ctx, expert_id=expert_id, on=on, reason=reason)
