"""Appeals' entries in the registries of lower apps: raising an appeal from a visit of territory's grid log."""

from __future__ import annotations


def register() -> None:
    from linli.territory import visit_actions

    from .views.from_visit import visit_action

    visit_actions.register(visit_action())
