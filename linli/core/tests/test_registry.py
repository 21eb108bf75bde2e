"""The registries lower apps own: entries by name, replaced by name, listed in name order; actions offered on an
object only to whom their test lets through, each with its URL."""

from __future__ import annotations

from linli.core.registry import ObjectAction, ObjectActions, Registry


def test_registry_lists_by_name_and_replaces_a_name_registered_again() -> None:
    reg: Registry[int] = Registry()
    reg.register("b", 2)
    reg.register("a", 1)
    reg.register("c", 3)
    reg.register("b", 20)
    assert reg.registered() == [1, 20, 3]
    reg.unregister("a")
    reg.unregister("missing")
    assert reg.registered() == [20, 3]


def test_object_actions_offer_what_the_user_may_take_with_its_url() -> None:
    actions: ObjectActions[int] = ObjectActions()
    actions.register(
        ObjectAction(name="odd", label="Odd", url=lambda n: f"/odd/{n}/", offered=lambda u, n: n % 2 == 1)
    )
    actions.register(
        ObjectAction(name="any", label="Any", url=lambda n: f"/any/{n}/", offered=lambda u, n: True)
    )
    assert [(a.name, url) for a, url in actions.offered(None, 3)] == [("any", "/any/3/"), ("odd", "/odd/3/")]
    assert [(a.name, url) for a, url in actions.offered(None, 4)] == [("any", "/any/4/")]
    actions.register(ObjectAction(name="any", label="Any", url=lambda n: "/x/", offered=lambda u, n: False))
    assert actions.offered(None, 4) == []
