"""Small wishes (微心愿): a resident (or a worker on their behalf) posts a wish; someone signed in adopts it, fulfils
it and confirms with a photo; the wisher thanks or reports a problem. The address is shown to the adopter only,
once they have adopted the wish, and that reveal is audited."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit
from linli.core.errors import Conflict, PermissionDenied
from linli.core.photos import photo_to_store
from linli.core.scoping import Viewer, is_signed_in, person, signed_in_account
from linli.territory.models import OrgNode
from linli.territory.selectors import community_of

from .. import permissions, selectors
from ..choices import WishState
from ..models import Wish
from ._common import Actor, community_in_area, invalid, locked_for, notify, text


def _link(wish: Wish) -> str:
    return reverse("cobuild:wish", args=[wish.pk])


@transaction.atomic
def wish_post(*, actor: Actor, title: str, description: str = "") -> Wish:
    """A verified resident posts their own wish."""
    user = signed_in_account(actor)
    household = selectors.verified_household(user)
    if household is None:
        raise PermissionDenied(_("Have your household verified first: a wish is posted in your community."))
    node = household.building.grid.org_node
    wish = Wish.objects.create(
        community=community_of(node) or node,
        title=text(title, "title", 60),
        description=text(description, "description", 300, required=False),
        wisher=user,
        wisher_name=user.display_name or user.username,
        address=household.address or household.building.address,
        phone=getattr(user, "phone", ""),
        posted_by=user,
    )
    audit(actor, "cobuild.wish_post", wish)
    return wish


@transaction.atomic
def wish_post_for(
    *,
    actor: Actor,
    community: OrgNode,
    title: str,
    wisher_name: str,
    address: str,
    phone: str = "",
    description: str = "",
) -> Wish:
    """A worker posts a wish on behalf of a resident without a phone (an elderly neighbour, a child)."""
    community = community_in_area(actor, community, "wish_manage")
    wish = Wish.objects.create(
        community=community,
        title=text(title, "title", 60),
        description=text(description, "description", 300, required=False),
        wisher_name=text(wisher_name, "wisher_name", 50),
        address=text(address, "address", 200),
        phone=text(phone, "phone", 24, required=False),
        posted_by=person(actor),
    )
    audit(actor, "cobuild.wish_post_for", wish)
    return wish


def _lock(actor: Actor, wish: Wish) -> Wish:
    return locked_for(actor, wish, selectors.wish_get_for)


@transaction.atomic
def wish_adopt(*, actor: Actor, wish: Wish, adopter_name: str = "") -> Wish:
    """Someone signed in adopts an open wish (a member, a volunteer, a unit's staff); first come, first served."""
    user = signed_in_account(actor)
    wish = _lock(user, wish)
    if wish.state == WishState.ADOPTED and wish.adopter_id == user.pk:
        return wish  # their second tap, or the page reloaded: theirs already, not "taken by someone else"
    if wish.state != WishState.OPEN:
        raise Conflict(_("Someone has adopted this wish already."))
    if wish.wisher_id == user.pk:
        raise invalid("wish", _("You cannot adopt your own wish."))
    wish.state = WishState.ADOPTED
    wish.adopter = user
    wish.adopter_name = (
        text(
            adopter_name,
            "adopter_name",
            80,
            required=False,
            label=_("In the name of (you, your branch or unit)"),
        )
        or user.display_name
        or user.username
    )
    wish.adopted_at = timezone.now()
    wish.save(update_fields=["state", "adopter", "adopter_name", "adopted_at", "updated_at"])
    notify(
        wish.wisher,
        _("Your wish was adopted by %(name)s") % {"name": wish.adopter_name},
        wish.title,
        _link(wish),
    )
    audit(actor, "cobuild.wish_adopt", wish)
    return wish


@transaction.atomic
def wish_fulfil(*, actor: Actor, wish: Wish, photo: UploadedFile) -> Wish:
    """The adopter confirms the wish fulfilled, with a photo."""
    user = signed_in_account(actor)
    wish = _lock(user, wish)
    if wish.adopter_id != user.pk:
        raise PermissionDenied(_("Only the person who adopted the wish confirms it."))
    if wish.state != WishState.ADOPTED:
        raise Conflict(_("This wish is not waiting to be fulfilled."))
    if photo is None:
        raise invalid("photo", _("Add a photo of the wish fulfilled."))
    wish.state = WishState.FULFILLED
    wish.photo = photo_to_store(photo)
    wish.fulfilled_at = timezone.now()
    wish.save(update_fields=["state", "photo", "fulfilled_at", "updated_at"])
    notify(
        wish.wisher, _("Your wish was fulfilled: %(t)s") % {"t": wish.title}, wish.adopter_name, _link(wish)
    )
    audit(actor, "cobuild.wish_fulfil", wish)
    return wish


@transaction.atomic
def wish_reply(*, actor: Actor, wish: Wish, thanks: bool, message: str) -> Wish:
    """The wisher (or the worker who posted for them) thanks the adopter or reports a problem."""
    user = signed_in_account(actor)
    wish = _lock(user, wish)
    own = wish.wisher_id == user.pk or (wish.wisher_id is None and wish.posted_by_id == user.pk)
    if not own:
        raise PermissionDenied(_("Only the wisher answers a fulfilled wish."))
    if wish.state != WishState.FULFILLED:
        raise Conflict(_("This wish is not waiting for an answer."))
    said = text(message, "message", 200, required=not thanks)
    wish.state = WishState.THANKED if thanks else WishState.PROBLEM
    wish.reply = said
    wish.save(update_fields=["state", "reply", "updated_at"])
    notify(wish.adopter, _("Thanks for a wish you fulfilled") if thanks else _("A problem with a wish"), said)
    audit(actor, "cobuild.wish_reply", wish, thanks=thanks)
    return wish


# A wish may be withdrawn until it is fulfilled; after that the adopter's work is done and the wisher answers it.
WITHDRAWABLE = frozenset({WishState.OPEN, WishState.ADOPTED})


def wish_withdrawable_by(user: Viewer, wish: Wish) -> bool:
    """Whether `user` may withdraw `wish` now: the wisher (or the worker who posted it for them, or a worker of
    its community), while it is open or adopted."""
    if wish.state not in WITHDRAWABLE or not is_signed_in(user):
        return False
    pk = getattr(user, "pk", None)
    own = wish.wisher_id == pk or (wish.wisher_id is None and wish.posted_by_id == pk)
    return own or permissions.may(user, "wish_manage", wish.community.path)


@transaction.atomic
def wish_withdraw(*, actor: Actor, wish: Wish, reason: str = "") -> Wish:
    """The wisher withdraws a wish not yet fulfilled (it was met another way, or is no longer wanted). An open wish
    goes at once; an adopted one needs a reason, and the adopter is told it: their adoption ends (the address is
    no longer shown to them, there is nothing to confirm), and the wish stays on their list as withdrawn."""
    user = signed_in_account(actor)
    wish = _lock(user, wish)
    if wish.state not in WITHDRAWABLE:
        raise Conflict(_("A fulfilled wish cannot be withdrawn."))
    if not wish_withdrawable_by(user, wish):
        raise PermissionDenied(_("Only the wisher withdraws a wish."))
    adopted = wish.state == WishState.ADOPTED
    label = _("Why you withdraw it")
    said = text(reason, "reason", 200, required=False, label=label)
    if adopted and not said:
        raise invalid("reason", _("Say why you withdraw it: the person who adopted it is told."))
    before = wish.state
    wish.state = WishState.WITHDRAWN
    wish.withdrawn_at = timezone.now()
    wish.withdraw_reason = said
    wish.save(update_fields=["state", "withdrawn_at", "withdraw_reason", "updated_at"])
    if adopted:
        notify(
            wish.adopter,
            _("A wish you adopted was withdrawn: %(t)s") % {"t": wish.title},
            _("The wisher says: %(r)s. There is nothing more to do for it.") % {"r": said},
            _link(wish),
        )
    audit(actor, "cobuild.wish_withdraw", wish, before=before, reason=said)
    return wish


def wish_contact(*, actor: Actor, wish: Wish) -> dict[str, str]:
    """The wisher's address and phone, for the adopter once adopted (or a worker of the community); audited."""
    user = signed_in_account(actor)
    wish = selectors.wish_get_for(user, wish.pk)
    if wish.adopter_id == user.pk and wish.state not in (WishState.OPEN, WishState.WITHDRAWN):
        pass
    elif not permissions.may(user, "wish_manage", wish.community.path):
        raise PermissionDenied(_("The address is shown only to the person who adopted the wish."))
    audit(actor, "cobuild.wish_contact", wish)
    return {"address": wish.address, "phone": wish.phone, "name": wish.wisher_name}
