"""The home's to-do registry: what waits, in which order, where it leads; nothing shown where nothing waits."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from linli.core import todo
from linli.core.actions import ActionTable
from linli.core.registry import Registry


@pytest.fixture
def only(monkeypatch: pytest.MonkeyPatch) -> Iterator[Registry[todo.Todo]]:
    """The test's own to-dos in place of the apps' (the apps' are back afterwards)."""
    mine: Registry[todo.Todo] = Registry()
    monkeypatch.setattr(todo, "registered", mine.registered)
    yield mine


def test_what_waits_is_listed_by_rank_then_name_with_its_link_and_late_ones(
    only: Registry[todo.Todo],
) -> None:
    for t in (
        todo.Todo("b.queue", "queue", "web:home", lambda u: 4, late=lambda u: 1, rank=10),
        todo.Todo("a.alarms", "alarms", "web:home", lambda u: 2, urgent=True, rank=0),
        todo.Todo("a.nothing", "nothing", "web:home", lambda u: 0, rank=5),
        todo.Todo("c.parts", "parts", "web:home", lambda u: 3, query="tab=parts", rank=10),
    ):
        only.register(t.name, t)
    found = todo.waiting_for(None)
    assert [(w.name, w.count, w.late, w.urgent) for w in found] == [
        ("a.alarms", 2, 0, True),
        ("b.queue", 4, 1, True),  # late ones make it urgent
        ("c.parts", 3, 0, False),
    ]
    assert [w.href for w in found] == ["/", "/", "/?tab=parts"]


def test_work_a_role_cannot_do_does_not_wait_for_it() -> None:
    table = ActionTable({"decide": frozenset({"street_officer"})}, {"decide": "only the street"})
    count = todo.if_may(table, "decide", lambda u: 7)
    street = SimpleNamespace(
        is_authenticated=True, role="street_officer", org_path="1/2/", is_superuser=False
    )
    grid = SimpleNamespace(is_authenticated=True, role="grid_worker", org_path="1/2/3/", is_superuser=False)
    assert count(street) == 7
    assert count(grid) == 0
    assert count(None) == 0
