"""What the demo adds to lower layers: its accounts on the sign-in pages while the database holds the demo."""

from __future__ import annotations

from linli.accounts import sign_in_hints


def register() -> None:
    from . import sign_in

    sign_in_hints.register(
        sign_in_hints.SignInHint(
            name="demo",
            staff=sign_in_hints.PageHint("demo/sign_in_staff.html", sign_in.staff_accounts),
            resident=sign_in_hints.PageHint("demo/sign_in_resident.html", sign_in.resident_phones),
        )
    )
