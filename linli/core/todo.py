"""What waits for a member of staff, named on their home page (待办): each app registers the kinds of work it
hands out, and the home shows each kind with something waiting for the person signed in, with how many and how
many of them are late, linked to the page where the work is done. A person sees only what their scope holds (each
count goes through the app's scoped selectors), so a grid worker's home names the care visits of their grids and
a street officer's the extensions waiting for their decision, without the home knowing either app.

An app lists them in `<app>/waiting.py` as `TODOS`, a list of `Todo`s (name, label, the page's URL name, count),
registered by `core.appconfig` when Django is ready (see `linli/cobuild/waiting.py`). `rank`, then the name, orders
the list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from .actions import ActionTable
from .registry import Registry
from .scoping import Viewer


@dataclass(frozen=True)
class Todo:
    name: str
    label: Any  # a lazy translation: what the work is
    url: str  # the URL name of the page where it is done
    # How many wait for this person, in their scope (0: not shown), and how many of those are past their time. Each
    # is given the signed-in member of staff (an accounts User, which core does not name).
    count: Callable[[Any], int]
    late: Callable[[Any], int] | None = None
    query: str = ""  # appended to the page's address (`tab=parts`)
    urgent: bool = False  # whatever waits is urgent (a fire alarm): shown in red
    rank: int = 50  # where on the home, lowest first (a fire alarm 0, the appeals queue 10), then by name


@dataclass(frozen=True)
class Waiting:
    """A kind of work with something waiting, as the home shows it."""

    name: str
    label: Any
    href: str
    count: int
    late: int
    urgent: bool


_todos: Registry[Todo] = Registry()


def register(todo: Todo) -> None:
    """Register (or replace) a kind of work under its stable name."""
    _todos.register(todo.name, todo)


registered = _todos.registered


def counted(rows: Callable[[Any], QuerySet[Any]], **where: Any) -> Callable[[Any], int]:
    """How many of the rows a scoped selector gives the person match `where` (`counted(orders_visible_to,
    state="ordered")`)."""
    return lambda user: rows(user).filter(**where).count()


def if_may(table: ActionTable, action: str, count: Callable[[Any], int]) -> Callable[[Any], int]:
    """`count` for a person whose role takes `action` in the app's action table, 0 for anyone else: what they can
    see but not do is not waiting for them."""
    return lambda user: count(user) if table.may_manage_anywhere(user, action) else 0


def waiting_for(user: Viewer) -> list[Waiting]:
    """Each registered kind of work with something waiting for `user`, in the order of the names."""
    found = []
    for todo in sorted(registered(), key=lambda t: t.rank):
        count = todo.count(user)
        if count:
            href = reverse(todo.url) + (f"?{todo.query}" if todo.query else "")
            late = todo.late(user) if todo.late is not None else 0
            found.append(Waiting(todo.name, todo.label, href, count, late, todo.urgent or late > 0))
    return found
