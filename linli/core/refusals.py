"""The refusals of several fields of one write, said together rather than one a round (any app's service): a
service runs each field's check through `Refusals.check`, which keeps its refusal and goes on, then `raise_any()` raises them all as one
`ValidationFailed` (one refusal on its `field`; more in `fields`, field → message), which a page puts on each
field (`core.pages.apply_domain_error`) and the API lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from linli.core.errors import ValidationFailed


class Refusals:
    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        """A refusal of `field` (the first said of a field stays)."""
        self.errors.setdefault(field, message)

    def check[T](self, check: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`check(*args, **kwargs)`, a field's check that returns the cleaned value or raises `invalid(field, …)`:
        its value, or, refused, the refusal kept and None in its place (`raise_any` comes before any use of it)."""
        try:
            return check(*args, **kwargs)
        except ValidationFailed as exc:
            field = exc.extra.get("field")
            self.add(field if isinstance(field, str) else "__all__", str(exc.message))
            return cast(T, None)

    def raise_any(self) -> None:
        """Raise the refusals kept, if any: one on its field, several in `fields` (the first's message said)."""
        if not self.errors:
            return
        (field, message), *more = self.errors.items()
        raise ValidationFailed(message, extra={"fields": dict(self.errors)} if more else {"field": field})
