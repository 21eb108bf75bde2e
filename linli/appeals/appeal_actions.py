"""What higher apps offer on an appeal's staff page: a registry appeals owns.

Taking a resident's suggestion onto co-building's needs list is the cobuild app's (it stands above appeals): it
registers an `AppealAction` from its `contributions.register()`, and the appeal's page shows it as a link to the
app's own page. Appeals never imports it (as territory's `visit_actions`; both are `core.registry.ObjectActions`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linli.core.registry import ObjectAction, ObjectActions

if TYPE_CHECKING:
    from .models import Appeal

AppealAction = ObjectAction["Appeal"]

_actions: ObjectActions[Appeal] = ObjectActions()
register = _actions.register
offered = _actions.offered  # (user, appeal): the actions this user may take on it now, with their URLs
