"""The audit log shows each action in words: every action code the code base writes has its label in
core.audit_actions (this test finds them in the code, so a new one cannot be forgotten), a code without one still
reads as words, and the administration site lists, filters and titles entries by those words."""

from __future__ import annotations

import ast
from pathlib import Path

from django.test import Client
from django.utils import translation

from linli.core.audit import audit_record
from linli.core.audit_actions import ACTION_LABELS, action_label
from linli.testing import Cast

ROOT = Path(__file__).resolve().parents[2]  # linli/
# The functions that write an audit entry, with the action's position (else its keyword, action=); territory's
# save_changes writes the code its callers give.
WRITERS = {"audit": 1, "audit_record": None, "audit_record_each": None, "save_changes": 3}


def _name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _argument(call: ast.Call, position: int | None, keyword: str) -> ast.expr | None:
    if position is not None and len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _values(expr: ast.expr | None, tree: ast.Module, function: ast.FunctionDef | None) -> list[str] | None:
    """The codes `expr` can be: a string, either string of `a if c else b`, or an f-string of one of the enclosing
    function's parameters, filled with the strings every call of that function in the module passes; None when it
    cannot be read from the code."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, ast.IfExp):
        both = [_values(expr.body, tree, function), _values(expr.orelse, tree, function)]
        return None if None in both else [v for side in both for v in side or []]
    if function is None:
        return None
    params = [a.arg for a in function.args.args + function.args.kwonlyargs]
    if isinstance(expr, ast.Name) and expr.id in params:
        template, param = "{}", expr.id
    elif (
        isinstance(expr, ast.JoinedStr)
        and len(holes := [v for v in expr.values if isinstance(v, ast.FormattedValue)]) == 1
        and isinstance(holes[0].value, ast.Name)
        and holes[0].value.id in params
    ):
        param = holes[0].value.id
        template = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in expr.values)
    else:
        return None
    index = params.index(param) if param in [a.arg for a in function.args.args] else None
    found: list[str] = []
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and _name(call) == function.name:
            value = _argument(call, index, param)
            if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                return None
            found.append(template.format(value.value))
    return found or None


def _codes_in_the_code() -> tuple[set[str], list[str]]:
    """Every action code the code base writes, and the calls whose code cannot be read from the code."""
    codes: set[str] = set()
    unread = []
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        for function in [None, *functions]:
            body = tree.body if function is None else function.body
            for statement in body:
                for call in ast.walk(statement):
                    if not isinstance(call, ast.Call) or _name(call) not in WRITERS:
                        continue
                    if function is None and any(call in ast.walk(f) for f in functions):
                        continue
                    # A call inside a nested function is read with the innermost function only.
                    expr = _argument(call, WRITERS[_name(call)], "action")
                    values = _values(expr, tree, function)
                    where = f"{path.relative_to(ROOT.parent)}:{call.lineno}"
                    if values is None:
                        unread.append(where)
                    else:
                        codes.update(values)
    return codes, unread


def _written_by_hand() -> dict[str, list[str]]:
    """The calls whose codes come from an app's own table, which the code does not spell: each with its codes."""
    from linli.accounts.choices import ClaimStatus
    from linli.cobuild.workflow import TRANSITIONS as ORDER_STEPS
    from linli.territory.choices import LifeEvent
    from linli.volunteers.choices import ActivityState

    return {
        "linli/accounts/services.py": [
            f"household_claim_{s}" for s in (ClaimStatus.APPROVED, ClaimStatus.REJECTED)
        ],
        "linli/volunteers/services/activities.py": [
            f"volunteers.activity_{s}" for s in (ActivityState.OPEN, ActivityState.CANCELLED)
        ],
        "linli/deliberation/services/hall.py": [
            "hall_keep",
            "hall_remove",
        ],  # the decision is checked to be one
        "linli/territory/services/people.py": [f"resident_{kind}" for kind in LifeEvent.values],
        "linli/cobuild/services/orders.py": [f"cobuild.order_{step}" for step in ORDER_STEPS],
        # The writers themselves, whose callers' codes are read (WRITERS).
        "linli/core/audit.py": [],
        "linli/territory/services/common.py": [],
        # `<model>_delete` from the administration site, any model: action_label's own words (tested below).
        "linli/territory/admin.py": [],
    }


def test_every_action_code_written_in_the_code_base_has_a_label() -> None:
    codes, unread = _codes_in_the_code()
    by_hand = _written_by_hand()
    not_known = [where for where in unread if where.rpartition(":")[0] not in by_hand]
    assert not not_known, (
        "These audit calls write a code this test cannot read; list what they can write in _written_by_hand: "
        f"{not_known}"
    )
    codes.update(code for listed in by_hand.values() for code in listed)
    assert len(codes) > 150
    assert sorted(codes - ACTION_LABELS.keys()) == [], "label these in linli/core/audit_actions.py"


def test_every_label_reads_in_chinese() -> None:
    with translation.override("zh-hans"):
        english = [
            code
            for code, label in ACTION_LABELS.items()
            if not any("\u4e00" <= c <= "\u9fff" for c in str(label))
        ]
        assert english == []
        assert action_label("party_org_create") == "新增党组织"


def test_a_code_without_a_label_still_reads_as_words() -> None:
    with translation.override("zh-hans"):
        assert action_label("grid_delete", "territory.grid") == "删除网格"
        assert action_label("grid_archive", "territory.grid") == "网格：grid_archive"
        assert action_label("something_new") == "something_new"


def test_the_admin_lists_filters_and_titles_entries_in_words(cast: Cast) -> None:
    party_org = cast.grid  # any row: the log names its kind and key
    entry = audit_record(actor=cast.admin, action="party_org_create", obj=party_org)
    audit_record(actor=cast.admin, action="grid_delete", obj=party_org)
    client = Client()
    client.force_login(cast.admin)
    page = client.get("/admin/core/auditentry/").content.decode()
    assert "新增党组织" in page and "删除网格" in page
    assert ">party_org_create<" not in page and ">territory.grid<" not in page
    assert "?action=party_org_create" in page  # the filter's choice, by its words
    filtered = client.get("/admin/core/auditentry/?action=party_org_create").content.decode()
    assert "新增党组织" in filtered and "删除网格" not in filtered
    detail = client.get(f"/admin/core/auditentry/{entry.pk}/change/").content.decode()
    assert (
        "新增党组织 网格#" in detail and "party_org_create" in detail
    )  # the title in words, the code beside
