"""Handling an appeal: dispatch, acknowledge, contact, start, pause and resume, resolve, return, escalate,
extension requests and their decisions, urging."""

from __future__ import annotations

from django.http import HttpRequest

from linli.core.api_refs import body_ref

from .. import selectors, services
from ..choices import Channel
from ..models import Appeal, ExtensionRequest
from ..schemas import DecisionIn, DispatchIn, ExtensionIn, NoteIn, ReasonIn, ResolveIn
from .actions import action, of_appeal, service_act


def _dispatch(request: HttpRequest, appeal: Appeal, payload: DispatchIn) -> None:
    # Looked up in the caller's reach, as the service does again: one outside it reads as one that does not exist.
    node = body_ref(
        "unit_node_id", selectors.unit_nodes_for(request.user, appeal), payload.unit_node_id or None
    )
    org = body_ref("unit_org_id", selectors.organisations_for(request.user), payload.unit_org_id or None)
    services.appeal_dispatch(
        actor=request.user,
        appeal=appeal,
        tier=payload.tier,
        unit_node=node,
        unit_org=org,
        category_code=payload.category_code,
        grid_code=payload.grid_code,
        reason=payload.reason,
        channel=Channel.API,
    )


action("dispatch", _dispatch, DispatchIn)
action("acknowledge", service_act(services.appeal_acknowledge))
action("contact", service_act(services.appeal_contact), NoteIn)
action("start", service_act(services.appeal_start), NoteIn)
action("pause", service_act(services.appeal_pause), ReasonIn)
action("resume", service_act(services.appeal_resume), NoteIn)
action("resolve", service_act(services.appeal_resolve), ResolveIn)
action("return", service_act(services.appeal_return), ReasonIn, name="return_")
action("escalate", service_act(services.appeal_escalate), ReasonIn)
action("extension", service_act(services.appeal_extension_request), ExtensionIn, name="extension_request")
action(
    "extension/{request_id}/approve",
    of_appeal(ExtensionRequest, "request", services.appeal_extension_approve),
    DecisionIn,
    name="extension_approve",
)
action(
    "extension/{request_id}/reject",
    of_appeal(ExtensionRequest, "request", services.appeal_extension_reject),
    DecisionIn,
    name="extension_reject",
)
action("urge", service_act(services.appeal_urge), NoteIn)
