"""The OpenAPI document is valid and names each shape once: django-ninja files every schema under its class name, so two
classes of the same name in two apps (accounts' MeOut and volunteers' MeOut) made one silently replace the other,
and /api/accounts/me was documented with the volunteer's shape (found by the fuzz in test_fuzz.py)."""

from __future__ import annotations

import typing
from collections import defaultdict
from typing import Any

from pydantic import BaseModel

from linli.api import api


def _shapes() -> dict[str, set[str]]:
    """Class name → the classes of that name used by any operation (bodies, parameters, answers, nested)."""
    names: dict[str, set[str]] = defaultdict(set)
    seen: set[type] = set()

    def walk(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in seen:
                return
            seen.add(annotation)
            names[annotation.__name__].add(f"{annotation.__module__}.{annotation.__qualname__}")
            for field in annotation.model_fields.values():
                walk(field.annotation)
        for argument in typing.get_args(annotation):
            walk(argument)

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.response_models.values(), *operation.models]:
                    walk(model)
    return names


def test_every_shape_of_the_api_has_a_name_of_its_own() -> None:
    names = _shapes()
    assert len(names) > 100  # the walk reaches the shapes
    assert {name: classes for name, classes in names.items() if len(classes) > 1} == {}


def test_the_document_describes_accounts_me_with_the_accounts_shape() -> None:
    me = api.get_openapi_schema()["components"]["schemas"]["MeOut"]
    assert "username" in me["required"]
    assert "balance" not in me["properties"]


def _all_items(node: Any) -> list[Any]:
    if isinstance(node, dict):
        found = [node["items"]] if "items" in node else []
        return found + [item for value in node.values() for item in _all_items(value)]
    if isinstance(node, list):
        return [item for value in node for item in _all_items(value)]
    return []


def test_every_array_in_the_document_is_a_valid_openapi_3_schema() -> None:
    """A tuple field (triage's alternatives, list[tuple[str, float]]) came out as `items: [..., ...]`, which no
    OpenAPI 3.0 reader accepts: the fuzz could not even check the classify answer."""
    document = api.get_openapi_schema()
    items = _all_items(document["paths"]) + _all_items(document["components"])
    assert items and all(isinstance(item, dict) for item in items)
