"""What the resident's home (a web page) asks of party without web knowing party's rules: whether the signed-in
account is a party member (`selectors.own_member_records`), for the 我的党员积分 tile of
`party/partials/home_branch.html`. Asked of the database once in a few minutes and kept in the session
(core.session_memo, as the 我的支部 entry is); `/party/me/` corrects it with what it reads."""

from __future__ import annotations

from typing import Any

from django import template

from linli.core.session_memo import remembered

from .. import selectors
from ..permissions import MEMBER_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def is_party_member(context: dict[str, Any]) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not getattr(user, "is_authenticated", False):
        return False
    return remembered(request, MEMBER_KEY, lambda: selectors.own_member_records(user).exists())
