"""What an app above accounts shows on the sign-in pages (the staff's /login/, the residents' own), without
accounts importing it: the demo lists its accounts there while the database holds the demo district.

An app registers a hint from its `contributions.register()`: `sign_in_hints.register(SignInHint(...))`. On every
request of a sign-in page each hint's `read()` runs (nothing is cached, so a demo loaded again shows its accounts
at once) and returns what its template gets as `hint`, or None to show nothing; the page renders the hint's
template for it (`staff_template` on /login/, `resident_template`, when given, on the residents' page)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from linli.core.registry import Registry

Page = Literal["staff", "resident"]


@dataclass(frozen=True)
class SignInHint:
    name: str
    read: Callable[[], Any | None]
    staff_template: str
    resident_template: str = ""

    def template(self, page: Page) -> str:
        return self.staff_template if page == "staff" else self.resident_template


_hints: Registry[SignInHint] = Registry()


def register(hint: SignInHint) -> None:
    """Register (or replace) a hint under its stable name."""
    _hints.register(hint.name, hint)


unregister = _hints.unregister
registered = _hints.registered
