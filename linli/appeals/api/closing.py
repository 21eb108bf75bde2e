"""Ways an appeal ends: the resident's rating, closing, the callback (回访) that did not reach the resident,
merging into another appeal, splitting into several, the resident's withdrawal, an answer on first contact."""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest

from linli.core.api_refs import body_ref

from .. import selectors, services
from ..models import Appeal
from ..schemas import AnswerIn, CallbackAttemptIn, MergeIn, NoteIn, RateIn, ReasonIn, SplitIn, WithdrawIn
from .actions import action, service_act


def _merge(request: HttpRequest, appeal: Appeal, payload: MergeIn) -> None:
    primary = body_ref("primary_id", partial(selectors.appeal_get_for, request.user), payload.primary_id)
    services.appeal_merge(actor=request.user, appeal=appeal, primary=primary, reason=payload.reason)


def _split(request: HttpRequest, appeal: Appeal, payload: SplitIn) -> None:
    """Split a message that raises several issues into one appeal per issue (2–5 parts: category_code,
    description, optional title); each is routed by its category and this appeal closes (outcome "split"). The
    answer's `split_into` names the new appeals."""
    parts = [services.SplitPart(p.category_code, p.description, p.title) for p in payload.parts]
    services.appeal_split(actor=request.user, appeal=appeal, parts=parts, reason=payload.reason)


action("rate", service_act(services.appeal_rate), RateIn)
action("close", service_act(services.appeal_close), ReasonIn)

# 回访: a call that did not reach the resident (`result`: no_answer, busy, switched_off, invalid, other — a note is
# required for other); after permissions.CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE of them (fewer: 409), closing
# without a rating.
action(
    "callback-attempt",
    service_act(services.callback_attempt_record),
    CallbackAttemptIn,
    name="callback_attempt",
)
action(
    "callback-unreachable", service_act(services.callback_unreachable), NoteIn, name="callback_unreachable"
)
action("merge", _merge, MergeIn)
action("split", _split, SplitIn)
action("withdraw", service_act(services.appeal_withdraw), WithdrawIn)
action("answer", service_act(services.appeal_answer_on_first_contact, channel=False), AnswerIn)
