"""What higher apps offer on a visit of the log (民情日志): a registry territory owns.

Raising an appeal from a visit is the appeals app's (it stands above territory): it registers a `VisitAction` in
its AppConfig.ready(), and the visit's page shows it as a link to the app's own page. Territory never imports it.
The mechanism is `core.registry.ObjectActions`, as appeals' `appeal_actions`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linli.core.registry import ObjectAction, ObjectActions

if TYPE_CHECKING:
    from .models import Visit

VisitAction = ObjectAction["Visit"]

_actions: ObjectActions[Visit] = ObjectActions()
register = _actions.register
offered = _actions.offered  # (user, visit): the actions this user may take on it now, with their URLs
