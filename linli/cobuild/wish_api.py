"""Small wishes through the API (registered on co-building's router in api.py), the steps a resident's phone takes
on the wish pages: post a wish, adopt one, confirm it fulfilled with a photo, thank or report a problem. Each calls
the service the pages call, so the refusals (not verified, taken by someone else, not the adopter) are the same."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Schema
from ninja.files import UploadedFile

from linli.core.masking import mask_name
from linli.core.scoping import signed_in_account

from . import selectors, services
from .models import Wish


class WishOut(Schema):
    id: int
    title: str
    state: str
    wisher: str
    adopter: str


def wish_out(w: Wish) -> dict[str, Any]:
    return {
        "id": w.pk,
        "title": w.title,
        "state": w.state,
        "wisher": mask_name(w.wisher_name),
        "adopter": w.adopter_name,
    }


class WishIn(Schema):
    title: str
    description: str = ""


class AdoptIn(Schema):
    adopter_name: str = ""  # in whose name: the person, their branch or unit (their own name when left out)


class ReplyIn(Schema):
    thanks: bool  # true: thanks; false: a problem is reported, said in `message`
    message: str = ""


def wish_post(request: HttpRequest, body: WishIn) -> Any:
    """A verified resident posts their own wish (403 until their household is verified)."""
    made = services.wish_post(
        actor=signed_in_account(request.user), title=body.title, description=body.description
    )
    return 201, wish_out(made)


def wish_adopt(request: HttpRequest, pk: int, body: AdoptIn) -> Any:
    """Adopt an open wish: first come (409 once someone else has; the adopter's own second call is answered again)."""
    user = signed_in_account(request.user)
    wish = services.wish_adopt(
        actor=user, wish=selectors.wish_get_for(user, pk), adopter_name=body.adopter_name
    )
    return 200, wish_out(wish)


def wish_fulfil(request: HttpRequest, pk: int, photo: File[UploadedFile]) -> Any:
    """The adopter confirms the wish fulfilled (multipart: `photo`); the wisher is told."""
    user = signed_in_account(request.user)
    wish = services.wish_fulfil(actor=user, wish=selectors.wish_get_for(user, pk), photo=photo)
    return 200, wish_out(wish)


def wish_reply(request: HttpRequest, pk: int, body: ReplyIn) -> Any:
    """The wisher (or the worker who posted it) thanks the adopter or reports a problem, once it is fulfilled."""
    user = signed_in_account(request.user)
    wish = services.wish_reply(
        actor=user, wish=selectors.wish_get_for(user, pk), thanks=body.thanks, message=body.message
    )
    return 200, wish_out(wish)
