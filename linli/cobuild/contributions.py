"""Co-building's entries in the registries of lower apps: a need taken from a visit of territory's grid log and
from a suggestion on the appeal's page."""

from __future__ import annotations


def register() -> None:
    from linli.appeals import appeal_actions
    from linli.territory import visit_actions

    from .views.sources import appeal_action, visit_action

    visit_actions.register(visit_action())
    appeal_actions.register(appeal_action())
