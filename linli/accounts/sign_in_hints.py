"""What an app above accounts shows on the sign-in pages (the staff's /login/, the residents' own), without
accounts importing it: the demo lists its accounts there while the database holds the demo district.

An app registers a hint from its `contributions.register()`: `sign_in_hints.register(SignInHint(...))`, with one
`PageHint` (a template and a reader) for each page it shows something on. A page runs only its own readers, on
every request (nothing is cached, so a demo loaded again shows its accounts at once): each returns what its
template gets as `hint`, or None to show nothing. A reader reads only what its page shows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from linli.core.registry import Registry

Page = Literal["staff", "resident"]


@dataclass(frozen=True)
class PageHint:
    template: str
    read: Callable[[], Any | None]


@dataclass(frozen=True)
class SignInHint:
    name: str
    staff: PageHint | None = None  # on /login/
    resident: PageHint | None = None  # on the residents' sign-in page

    def on(self, page: Page) -> PageHint | None:
        return self.staff if page == "staff" else self.resident


_hints: Registry[SignInHint] = Registry()


def register(hint: SignInHint) -> None:
    """Register (or replace) a hint under its stable name."""
    _hints.register(hint.name, hint)


unregister = _hints.unregister
registered = _hints.registered
