"""The residents' hall: topics, comments and replies, reports and moderation that keeps what was removed."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from linli.core.errors import Conflict, PermissionDenied
from linli.core.scoping import is_staff_member, signed_in_account
from linli.territory.models import OrgNode

from .. import permissions, selectors
from ..choices import Moderation
from ..models import Comment, Report, Topic, TopicFollower
from ._common import Actor, invalid, person, text

# After this many reports a topic or comment is hidden until a moderator decides.
HIDE_AFTER_REPORTS = 3


def _may_speak(actor: Actor) -> None:
    if is_staff_member(actor):
        return
    if selectors.verified_household(actor) is None:
        raise PermissionDenied(_("Only residents with a verified household may speak in the hall."))


def topic_create(*, actor: Actor, title: str, body: str, node: OrgNode | None = None) -> Topic:
    """A topic in the resident's own community or compound (staff choose an area of theirs)."""
    _may_speak(actor)
    household = selectors.verified_household(actor)
    if household is not None:
        own = selectors.household_node(household)
        community = selectors.resident_community(actor)
        allowed = {own.pk, community.pk if community else own.pk}
        if node is None:
            node = community or own
        if node.pk not in allowed:
            raise invalid("node", _("Residents raise topics in their own community or compound."))
    else:
        if node is None or not selectors.communities_for(actor).filter(pk=node.pk).exists():
            raise invalid("node", _("Choose a community or compound of your area."))
    with transaction.atomic():
        topic = Topic.objects.create(
            node=node,
            author=person(actor),
            title=text("title", title, limit=80),
            body=text("body", body, limit=2000),
        )
        _follow(topic, actor)
    return topic


def _follow(topic: Topic, actor: Actor) -> None:
    account = person(actor)
    if account is not None:
        TopicFollower.objects.get_or_create(topic=topic, user=account)


def topic_follow(*, actor: Actor, topic: Topic, follow: bool = True) -> bool:
    """Follow a topic (told when a meeting's decision answers it) or stop following it. Anyone who may read
    the topic may follow it. Returns whether the person follows it now."""
    account = signed_in_account(actor)
    if not selectors.topic_visible(actor, topic):
        raise PermissionDenied(_("This topic belongs to another community."))
    if follow:
        _follow(topic, account)
    else:
        TopicFollower.objects.filter(topic=topic, user=account).delete()
    return follow


def comment_add(*, actor: Actor, topic: Topic, body: str, parent_id: int | None = None) -> Comment:
    """A comment on a topic, or a reply to one of its comments (`parent_id`): a visible top-level comment of the
    same topic (the page shows one level of replies); any other is refused, never posted as a comment instead."""
    _may_speak(actor)
    if not selectors.topic_visible(actor, topic):
        raise PermissionDenied(_("This topic belongs to another community."))
    if topic.moderation != Moderation.VISIBLE:
        raise Conflict(_("This topic is closed to comments while it is under review."))
    parent = None
    if parent_id is not None:
        replied = topic.comments.filter(parent__isnull=True, moderation=Moderation.VISIBLE)
        parent = replied.filter(pk=parent_id).first()
        if parent is None:
            raise invalid(
                "parent_id",
                _(
                    "The comment you replied to is not in this topic any more (removed, hidden or never there): "
                    "your reply was not posted."
                ),
            )
    with transaction.atomic():
        comment = Comment.objects.create(
            topic=topic, parent=parent, author=person(actor), body=text("body", body, limit=1000)
        )
        _follow(topic, actor)  # who joins the conversation hears how it ends
    return comment


def content_report(
    *, actor: Actor, reason: str, topic: Topic | None = None, comment: Comment | None = None
) -> Report:
    """Report a topic or comment; after HIDE_AFTER_REPORTS reports it is hidden until a moderator decides."""
    _may_speak(actor)
    target: Topic | Comment | None = topic or comment
    if target is None:
        raise invalid("target", _("Report a topic or a comment."))
    if target.author_id is not None and target.author_id == getattr(actor, "pk", None):
        raise invalid("target", _("You cannot report what you wrote yourself."))
    reason = text("reason", reason, limit=200)
    model = Topic if topic is not None else Comment
    try:
        with transaction.atomic():
            report = Report.objects.create(
                topic=topic, comment=comment, reporter=person(actor), reason=reason
            )
            model.objects.filter(pk=target.pk).update(report_count=F("report_count") + 1)
            model.objects.filter(
                pk=target.pk, moderation=Moderation.VISIBLE, report_count__gte=HIDE_AFTER_REPORTS
            ).update(moderation=Moderation.HIDDEN)
    except IntegrityError:
        raise Conflict(_("You have already reported this.")) from None
    return report


def content_moderate(
    *, actor: Actor, decision: str, reason: str, topic: Topic | None = None, comment: Comment | None = None
) -> Topic | Comment:
    """A moderator keeps (shows again) or removes a topic or comment; removed text is kept with the reason."""
    target: Topic | Comment | None = topic or comment
    if target is None:
        raise invalid("target", _("Moderate a topic or a comment."))
    node = topic.node if topic is not None else comment.topic.node  # type: ignore[union-attr]
    permissions.require(actor, "hall_moderate", node.path)
    if decision not in ("keep", "remove"):
        raise invalid("decision", _("Choose to keep or to remove it."))
    reason = text("reason", reason, limit=200, required=decision == "remove")
    model = Topic if topic is not None else Comment
    new = Moderation.VISIBLE if decision == "keep" else Moderation.REMOVED
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=target.pk)
        if locked.moderation == Moderation.REMOVED:
            raise Conflict(_("This was removed already."))
        locked.moderation = new
        locked.moderation_reason = reason
        locked.save(update_fields=["moderation", "moderation_reason", "updated_at"])
    from linli.core.audit import audit_record

    audit_record(actor=actor, action=f"hall_{decision}", obj=locked, detail={"reason": reason})
    return locked
