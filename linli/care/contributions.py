"""What care adds to the lower apps through the registries they own: on a dispute appeal's staff page, the step
that turns it into a mediation case (转人民调解), offered to those who may open a case from it (`appeal_link`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.accounts.models import User
from linli.appeals import appeal_actions
from linli.appeals.models import Appeal
from linli.core.scoping import Viewer

from .appeal_link import may_open_case


def _case_new_url(appeal: Appeal) -> str:
    return reverse("care:case_new") + "?" + urlencode({"appeal": appeal.tracking_number})


def _offered(user: Viewer, appeal: Appeal) -> bool:
    return isinstance(user, User) and may_open_case(user, appeal)


def appeal_action() -> appeal_actions.AppealAction:
    """The new-case page filled from the appeal; offered while it is an open dispute the reader works on, with no
    case from it yet, and care's own rule lets them open a case in its grid."""
    return appeal_actions.AppealAction(
        name="mediation",
        label=_("Refer to people's mediation"),
        url=_case_new_url,
        offered=_offered,
    )


def register() -> None:
    appeal_actions.register(appeal_action())
