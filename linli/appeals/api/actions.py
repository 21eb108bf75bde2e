"""The one way an action is offered: POST /{appeal_id}/<path>. `action` writes that endpoint once: it looks the
appeal up in the caller's scope, calls the act with the payload, and answers the appeal's detail as the caller
now sees it; a domain error becomes {code, message, extra} in linli.api's handlers."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from django.http import HttpRequest
from ninja import Schema

from linli.core.errors import NotFound

from ..choices import Channel
from ..models import Appeal, AppealPart, ExtensionRequest
from ..schemas import ERRORS, AppealDetailOut, DecisionIn, NoteIn
from .common import appeal_for, operation_id, respond, router

DETAIL = {200: AppealDetailOut, **ERRORS}
Act = Callable[..., object]  # act(request, appeal, **path ids, payload): calls one service


def action(
    path: str, act: Act, body: Any = None, *, name: str = "", field: str = "payload", write: bool = True
) -> None:
    """Register POST /{appeal_id}/`path` as the operation `name` (default: the path), taking `body` (a schema,
    or an upload type) as `field`, and the path's other ids as ints; the act's docstring is the operation's
    description. `write=False` looks the appeal up for reading (a summoned department acts on its part)."""

    def endpoint(request: HttpRequest, appeal_id: int, **params: Any) -> dict[str, Any]:
        appeal = appeal_for(request, appeal_id, write=write)
        act(request, appeal, **params)
        return respond(request, appeal)

    arg = partial(inspect.Parameter, kind=inspect.Parameter.POSITIONAL_OR_KEYWORD)
    params = [arg("request", annotation=HttpRequest), arg("appeal_id", annotation=int)]
    params += [arg(key, annotation=int) for key in re.findall(r"\{(\w+)\}", path)]
    if body is not None:
        params.append(arg(field, annotation=body))
    endpoint.__signature__ = inspect.Signature(params, return_annotation=dict[str, Any])  # type: ignore[attr-defined]
    endpoint.__name__ = endpoint.__qualname__ = name or path
    endpoint.__doc__ = act.__doc__
    router.post(f"/{{appeal_id}}/{path}", response=DETAIL, operation_id=operation_id(endpoint.__name__))(
        endpoint
    )


def service_act(service: Callable[..., object], *, channel: bool = True) -> Act:
    """The act of an endpoint whose payload's fields are the service's keywords (with channel=api)."""

    def act(request: HttpRequest, appeal: Appeal, payload: Schema | None = None) -> None:
        fields = payload.dict() if payload is not None else {}
        if channel:
            fields["channel"] = Channel.API
        service(actor=request.user, appeal=appeal, **fields)

    return act


def of_appeal(
    model: type[ExtensionRequest | AppealPart], keyword: str, service: Callable[..., object]
) -> Act:
    """The act of an endpoint naming one of the appeal's extension requests or parts by the id in its path."""

    def act(request: HttpRequest, appeal: Appeal, payload: NoteIn | DecisionIn, **ids: int) -> None:
        (pk,) = ids.values()
        found = model.objects.filter(pk=pk, appeal=appeal).first()
        if found is None:
            raise NotFound()
        service(actor=request.user, note=payload.note, **{keyword: found})

    return act
