"""What the demo adds to lower layers: its accounts on the sign-in pages while the database holds the demo."""

from __future__ import annotations

from linli.accounts import sign_in_hints


def register() -> None:
    from . import sign_in

    sign_in_hints.register(
        sign_in_hints.SignInHint(
            name="demo",
            read=sign_in.demo_accounts,
            staff_template="demo/sign_in_staff.html",
            resident_template="demo/sign_in_resident.html",
        )
    )
