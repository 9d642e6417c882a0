"""Every action the services write into the audit trail has a Chinese label (domain/audit_labels.py).

The action names are collected from the source with ``ast``: the second argument of every
``unit_of_work(ctx, …)`` and ``record_documents(ctx, …)`` call (and the unit of the four-eyes
proposal in services/uow.py), followed through string constants, module names, conditional
expressions, helpers such as ``_clip(action, 100)`` and — for a parameter of the enclosing function —
the arguments of that function's calls elsewhere in the services. An f-string whose code itself
has a placeholder (``f"documents.review_{kind}"``) is expanded with the values the service allows
(its ``KINDS`` or decisions). A new action without a label — or one written in a way this collector
cannot follow — fails the test, naming the file and line.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from lzcenter_desktop.domain import audit_labels
from lzcenter_desktop.services import documents_evaluation_base, documents_review_base
from lzcenter_desktop.services.review import formal
from lzcenter_desktop.storage import models  # noqa: F401 - the tables of the metadata

SERVICES = Path(audit_labels.__file__).resolve().parents[1] / "services"
CALLS = {"unit_of_work": 1, "record_documents": 1}

#: f-string codes with a placeholder → the values the service allows there.
FAMILIES: dict[str, list[str]] = {
    "documents.review_": list(documents_review_base.KINDS),
    "documents.evaluation_": list(documents_evaluation_base.KINDS),
    "review.formal_": list(formal.DECISION_LABELS),
}


class Source:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
        self.assigned: dict[str, list[ast.expr]] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.assigned.setdefault(target.id, []).append(node.value)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
                self.assigned.setdefault(node.target.id, []).append(node.value)

    def function_of(self, node: ast.AST) -> ast.FunctionDef | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef):
                return node
        return None


SOURCES = [Source(p) for p in sorted(SERVICES.rglob("*.py"))]


def _name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


class Unresolved(Exception):
    pass


def _code_of_text(text: str) -> str:
    return audit_labels.split_action(text)[0]


def resolve(src: Source, node: ast.expr, depth: int = 0) -> list[str]:
    """The action codes ``node`` can evaluate to."""
    if depth > 6:
        raise Unresolved(ast.unparse(node))
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [_code_of_text(node.value)]
    if isinstance(node, ast.JoinedStr):
        head = ""
        for part in node.values:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                head += part.value
                continue
            if isinstance(part, ast.FormattedValue) and not head:  # f"{UPDATE_ACTION}：{text}"
                return resolve(src, part.value, depth + 1)
            break
        code = _code_of_text(head)
        placeholder = any(isinstance(p, ast.FormattedValue) for p in node.values)
        if not placeholder or code != head.strip():
            return [code]  # the code ends before the first placeholder
        if code in FAMILIES:
            return [code + value for value in FAMILIES[code]]
        raise Unresolved(ast.unparse(node))
    if isinstance(node, ast.IfExp):
        return resolve(src, node.body, depth + 1) + resolve(src, node.orelse, depth + 1)
    if isinstance(node, ast.Subscript):  # action[:100]
        return resolve(src, node.value, depth + 1)
    if isinstance(node, ast.BinOp):  # action[:99] + "…"
        return resolve(src, node.left, depth + 1)
    if isinstance(node, ast.Call) and node.args:  # _clip(action, 100), _action("x.y", reason)
        return resolve(src, node.args[0], depth + 1)
    if isinstance(node, ast.Name):
        function = src.function_of(node)
        if function is not None:
            names = [a.arg for a in function.args.args + function.args.kwonlyargs]
            if node.id in names:
                return _from_callers(function, node.id, depth + 1)
            local = [
                n.value
                for n in ast.walk(function)
                if isinstance(n, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == node.id for t in n.targets)
            ]
            if local:
                return [c for v in local for c in resolve(src, v, depth + 1)]
        if node.id in src.assigned:
            return [c for v in src.assigned[node.id] for c in resolve(src, v, depth + 1)]
        for other in SOURCES:  # a constant imported from another services module
            if node.id in other.assigned and other.function_of(other.assigned[node.id][0]) is None:
                return [c for v in other.assigned[node.id] for c in resolve(other, v, depth + 1)]
    raise Unresolved(ast.unparse(node))


def _from_callers(function: ast.FunctionDef, param: str, depth: int) -> list[str]:
    positional = [a.arg for a in function.args.args]
    found: list[str] = []
    for src in SOURCES:
        for call in (n for n in ast.walk(src.tree) if isinstance(n, ast.Call) and _name(n) == function.name):
            given = next((k.value for k in call.keywords if k.arg == param), None)
            if given is None and param in positional:
                index = positional.index(param)
                if index < len(call.args):
                    given = call.args[index]
            if given is not None:
                found += resolve(src, given, depth)
    if not found:
        raise Unresolved(f"{function.name}({param}) has no caller in services")
    return found


def collected() -> Iterator[tuple[str, int, list[str] | str]]:
    """(file, line, codes — or the expression that could not be followed)."""
    for src in SOURCES:
        for call in (n for n in ast.walk(src.tree) if isinstance(n, ast.Call)):
            name = _name(call)
            wanted = name in CALLS or (name == "_unit" and src.path.name == "uow.py")
            if not wanted or len(call.args) < 2:
                continue
            where = str(src.path.relative_to(SERVICES.parent))
            try:
                yield where, call.lineno, resolve(src, call.args[1])
            except Unresolved as exc:
                yield where, call.lineno, str(exc)


ACTIONS = list(collected())


def test_the_collector_follows_every_call() -> None:
    problems = [f"{where}:{line}: {what}" for where, line, what in ACTIONS if isinstance(what, str)]
    assert problems == []
    codes = {c for _w, _l, what in ACTIONS if isinstance(what, list) for c in what}
    # a sample of each way of writing an action, so the collector cannot silently find nothing
    for known in (
        "review.recognise_notice",  # a literal
        "backup.restore",  # a module constant
        "users.add_first_admin",  # a conditional expression
        "approvals.propose",  # uow's own unit
        "centers.update_center",  # f"{UPDATE_ACTION}：{text}"
        "review.retire_expert",  # f"review.retire_expert：{text}"[:100]
        "people.merge_people",  # _action("people.merge_people", reason)
        "documents.review_ranking",  # f"documents.review_{kind}"
        "review.formal_returned",  # f"review.formal_{decision}"
        "documents.make_certificate",  # record_documents(ctx, action, …) through its callers
    ):
        assert known in codes, known
    assert len(codes) >= 100


def test_every_action_the_services_write_has_a_chinese_label() -> None:
    missing = sorted(
        {
            f"{code}（{where}:{line}）"
            for where, line, what in ACTIONS
            if isinstance(what, list)
            for code in what
            if code not in audit_labels.ACTION_LABELS
        }
    )
    assert missing == [], "domain/audit_labels.py ACTION_LABELS 缺少：" + "、".join(missing)


def test_every_table_and_field_has_a_chinese_label() -> None:
    tables = SQLModel.metadata.tables
    assert sorted(t for t in tables if t not in audit_labels.ENTITY_LABELS) == []
    unnamed = sorted(
        f"{name}.{column.name}"
        for name, table in tables.items()
        for column in table.columns
        if audit_labels.field_label(name, column.name) is None
    )
    assert unnamed == []


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("review.recognise_notice", "认定（发布认定通知）"),
        ("review.retire_expert：退休", "评审：停用专家：退休"),
        ("evaluation.draw_experts（抽取种子 7，每家 5 名）", "绩效评估：抽取专家（抽取种子 7，每家 5 名）"),
        ("centers.update_center：名称", "中心：修改信息：名称"),
    ],
)
def test_stored_actions_read_in_chinese(stored: str, shown: str) -> None:
    assert audit_labels.action_label(stored) == shown


@pytest.mark.parametrize(
    "stored", ["review.no_such_action", "reviews.recognise_notice", "", "recognise_notice"]
)
def test_an_unknown_action_has_no_label(stored: str) -> None:
    assert audit_labels.action_label(stored) is None


def test_fields_by_table_then_by_name() -> None:
    assert audit_labels.field_label("center", "name_zh") == "中心名称"
    assert audit_labels.field_label("organization", "name") == "单位名称"
    assert audit_labels.field_label("annual_call", "name") == "名称"  # no own meaning: the common one
    assert audit_labels.field_label("center", "no_such_field") is None
    assert audit_labels.entity_label("center") == "中心"
    assert audit_labels.entity_label("no_such_table") is None
