"""Joint meetings through the five steps: convene, agenda with sources, members and invitations, QR sign-in,
minutes, decisions, stage changes, the residents' rating and the street's filing."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.appeals import selectors as appeal_selectors
from linli.appeals.topics import topics_of_street_over
from linli.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from linli.core.outbox import sms_enqueue
from linli.core.scoping import is_staff_member
from linli.core.workdays import add_working_time
from linli.party.models import PartyOrg
from linli.territory import selectors as territory_selectors
from linli.territory.models import Organisation, OrgNode

from .. import permissions, selectors
from ..choices import DEFAULT_SURVEY, MAX_SURVEY_QUESTIONS, InviteMethod, Rating, Side, SourceKind, Stage
from ..models import (
    AgendaItem,
    AgendaSource,
    Decision,
    Meeting,
    MeetingEvent,
    MeetingRating,
    Participant,
    RatingAnswer,
    Result,
    SurveyQuestion,
    Topic,
    TopicFollower,
)
from ..workflow import AGENDA_STAGES, LABELS, MEETING_STAGES, MEMBER_STAGES, RATING_STAGES, TRANSITIONS
from ._common import Actor, invalid, notify, person, street_officers_over, text
from .results import deadlines_create


def _require_stage(meeting: Meeting, stages: frozenset[str], message: str) -> None:
    if meeting.stage not in stages:
        raise InvalidTransition(message)


def meeting_create(
    *,
    actor: Actor,
    node: OrgNode,
    kind: str,
    title: str,
    scheduled_at: dt.datetime,
    place: str = "",
    convener: PartyOrg | None = None,
) -> Meeting:
    """Convene a meeting in a community or compound (it starts at 民意征集, collecting opinions)."""
    if actor is not None:
        node = selectors.communities_for(actor).filter(pk=node.pk).first() or _outside("node")
    if node.kind not in ("community", "compound"):
        raise invalid("node", _("A meeting is held in a community or a compound."))
    permissions.require(actor, "meeting_run", node.path)
    if (
        convener is not None
        and not node.path.startswith(convener.org_node.path)
        and not convener.org_node.path.startswith(node.path)
    ):
        raise invalid("convener", _("The convening party organisation must belong to this area."))
    meeting = Meeting.objects.create(
        node=node,
        kind=kind,
        title=text("title", title, limit=120),
        scheduled_at=scheduled_at,
        place=text("place", place, limit=120, required=False),
        convener=convener,
        sign_in_token=secrets.token_urlsafe(16),
        created_by=person(actor),
    )
    MeetingEvent.objects.create(
        meeting=meeting, action="convene", to_stage=Stage.COLLECT, actor=person(actor)
    )
    with translation.override(settings.LANGUAGE_CODE):  # stored in the deployment's language
        defaults = [str(q) for q in DEFAULT_SURVEY]
    _questions_write(meeting, defaults)
    return meeting


def _questions_write(meeting: Meeting, questions: list[str]) -> None:
    meeting.questions.all().delete()
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(meeting=meeting, text=q, position=i) for i, q in enumerate(questions)
    )


def survey_questions_set(*, actor: Actor, meeting: Meeting, questions: list[str]) -> list[SurveyQuestion]:
    """评价反馈: the secretary sets the questions the households are asked besides the overall rating (none to
    MAX_SURVEY_QUESTIONS, each at most 120 characters), until the first household has answered."""
    permissions.require(actor, "meeting_run", meeting.node.path)
    cleaned = [q.strip() for q in questions if q and q.strip()]
    if len(cleaned) > MAX_SURVEY_QUESTIONS:
        raise invalid(
            "questions",
            _("Ask at most %(n)d questions besides the overall rating.") % {"n": MAX_SURVEY_QUESTIONS},
        )
    if any(len(q) > 120 for q in cleaned):
        raise invalid("questions", _("A question has at most 120 characters."))
    if len(set(cleaned)) != len(cleaned):
        raise invalid("questions", _("Two questions are the same."))
    with transaction.atomic():
        locked = _locked(meeting)
        if locked.stage in (Stage.FILE, Stage.FILED):
            raise InvalidTransition(_("The survey cannot change once the record is with the street."))
        if locked.ratings.exists():
            raise Conflict(
                _("Households have already answered the survey: its questions can no longer change.")
            )
        _questions_write(locked, cleaned)
        MeetingEvent.objects.create(
            meeting=locked,
            action="survey_set",
            note="；".join(cleaned)[:300] or _("No questions besides the overall rating"),
            actor=person(actor),
        )
    return list(meeting.questions.all())


def _outside(field: str) -> Any:
    raise invalid(field, _("This is outside your area."))


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("node").get(pk=meeting.pk)


def agenda_item_add(
    *,
    actor: Actor,
    meeting: Meeting,
    title: str,
    summary: str = "",
    appeal_numbers: list[str] | None = None,
    topic_ids: list[int] | None = None,
    monthly_topic_ids: list[int] | None = None,
    visit_ids: list[int] | None = None,
    other_sources: list[tuple[str, str]] | None = None,
) -> AgendaItem:
    """民意征集: an agenda item grouping opinions, each source linked (appeals by tracking number, hall topics,
    monthly topics, entries of the grid visit log; the suggestion box and visits told in words as notes). Every
    source is read through the actor's scope."""
    permissions.require(actor, "meeting_run", meeting.node.path)
    _require_stage(meeting, AGENDA_STAGES, _("The agenda is closed once the meeting has been held."))
    title = text("title", title, limit=120)
    summary = text("summary", summary, limit=2000, required=False)
    sources: list[AgendaSource] = []
    for number in appeal_numbers or []:
        number = number.strip()
        if not number:
            continue
        appeal = appeal_selectors.appeals_visible_to(actor).filter(tracking_number=number).first()
        if appeal is None:
            raise invalid("appeal_numbers", _("No appeal %(number)s in your area.") % {"number": number})
        sources.append(AgendaSource(kind=SourceKind.APPEAL, appeal=appeal, note=appeal.title[:200]))
    for topic_id in topic_ids or []:
        topic = selectors.topics_visible_to(actor).filter(pk=topic_id).first()
        if topic is None:
            raise invalid("topic_ids", _("That hall topic is not in your area."))
        sources.append(AgendaSource(kind=SourceKind.TOPIC, topic=topic, note=topic.title[:200]))
    for mt_id in monthly_topic_ids or []:
        monthly = topics_of_street_over(actor, meeting.node.path).filter(pk=mt_id).first()
        if monthly is None:
            raise invalid(
                "monthly_topic_ids", _("That monthly topic is not one of this street's topics you may read.")
            )
        sources.append(
            AgendaSource(kind=SourceKind.MONTHLY_TOPIC, monthly_topic=monthly, note=monthly.title[:200])
        )
    for visit_id in visit_ids or []:
        visit = territory_selectors.visits_visible_to(actor).filter(pk=visit_id).first()
        if visit is None or not visit.grid.org_node.path.startswith(meeting.node.path):
            raise invalid("visit_ids", _("That visit is not in this meeting's area."))
        said = f"{visit.place_label}：{visit.follow_up or visit.found}"
        sources.append(AgendaSource(kind=SourceKind.VISIT, visit=visit, note=said[:200]))
    for kind, note in other_sources or []:
        if kind not in (SourceKind.SUGGESTION_BOX, SourceKind.VISIT):
            raise invalid("other_sources", _("Choose where the opinion came from."))
        sources.append(AgendaSource(kind=kind, note=text("other_sources", note, limit=200)))
    with transaction.atomic():
        position = meeting.agenda.count() + 1
        item = AgendaItem.objects.create(meeting=meeting, title=title, summary=summary, position=position)
        for source in sources:
            source.item = item
        AgendaSource.objects.bulk_create(sources)
    return item


def participant_add(
    *,
    actor: Actor,
    meeting: Meeting,
    side: str,
    name: str,
    unit: str = "",
    phone: str = "",
    user: User | None = None,
) -> Participant:
    """事务共商: a member of the meeting from one of the sides (owners' committee, property company, …)."""
    permissions.require(actor, "meeting_run", meeting.node.path)
    _require_stage(meeting, MEMBER_STAGES, _("Members can no longer be added after the meeting."))
    if side not in Side.values:
        raise invalid("side", _("Choose whom the member speaks for."))
    phone = text("phone", phone, limit=24, required=False)
    if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        raise invalid("phone", _("Enter an 11-digit mobile number."))
    try:
        with transaction.atomic():
            return Participant.objects.create(
                meeting=meeting,
                side=side,
                name=text("name", name, limit=50),
                unit=text("unit", unit, limit=120, required=False),
                phone=phone,
                user=user,
            )
    except IntegrityError:
        raise Conflict(_("This person is already a member of the meeting.")) from None


def participants_invite(
    *,
    actor: Actor,
    meeting: Meeting,
    method: str = InviteMethod.SMS,
    participant_ids: list[int] | None = None,
) -> int:
    """Invite the members not yet invited (all of them, or those of `participant_ids`). By text message: an SMS
    to those with a mobile number and an inbox entry for accounts. Told in person or by phone (邀请方式：当面/电话
    已通知): the organiser already invited them, so the invitation is only recorded, nothing is sent."""
    permissions.require(actor, "meeting_run", meeting.node.path)
    _require_stage(meeting, MEMBER_STAGES, _("Invitations go out before the meeting."))
    if method not in InviteMethod.values:
        raise invalid("method", _("Choose how the members were invited."))
    when = timezone.localtime(meeting.scheduled_at).strftime("%m月%d日 %H:%M")
    message = f"【邻里】邀请您参加{meeting.title}，时间{when}，地点{meeting.place or meeting.node.name}。请到场后扫码签到。"
    url = reverse("deliberation:meeting_public", args=[meeting.pk])
    sent = 0
    with transaction.atomic():
        waiting = meeting.participants.select_for_update().filter(invited_at__isnull=True)
        if participant_ids is not None:
            waiting = waiting.filter(pk__in=participant_ids)
        for p in waiting:
            if method == InviteMethod.SMS:
                if p.phone:
                    sms_enqueue(phone=p.phone, text=message)
                if p.user_id:
                    notify([p.user], title=_("You are invited to a meeting"), body=message, url=url)
            p.invited_at = timezone.now()
            p.invited_by = method
            p.save(update_fields=["invited_at", "invited_by"])
            sent += 1
    return sent


def meeting_sign_in(*, actor: Actor, token: str) -> Participant:
    """Attendance by QR code: the signed-in person who scans the meeting's code is marked present (a resident
    not on the list signs in as a resident attending)."""
    account = person(actor)
    if account is None:
        raise PermissionDenied(_("Sign in first, then scan the code again."))
    meeting = Meeting.objects.select_related("node").filter(sign_in_token=token).first()
    if meeting is None:
        raise ValidationFailed(_("This sign-in code is not valid."))
    _require_stage(meeting, MEETING_STAGES, _("Sign-in is open only while the meeting is being held."))
    with transaction.atomic():
        participant = meeting.participants.select_for_update().filter(user=account).first()
        if participant is None:
            side = Side.COMMUNITY if is_staff_member(account) else Side.RESIDENT
            participant = Participant.objects.create(
                meeting=meeting, side=side, name=str(account)[:50], user=account
            )
        if participant.signed_in_at is None:
            participant.signed_in_at = timezone.now()
            participant.signed_in_by_qr = True
            participant.save(update_fields=["signed_in_at", "signed_in_by_qr"])
    return participant


def participant_mark_present(*, actor: Actor, participant: Participant) -> Participant:
    """The secretary marks a member present who has no phone to scan with."""
    meeting = participant.meeting
    permissions.require(actor, "meeting_run", meeting.node.path)
    _require_stage(meeting, MEETING_STAGES, _("Sign-in is open only while the meeting is being held."))
    if (
        Participant.objects.filter(pk=participant.pk, signed_in_at__isnull=True).update(
            signed_in_at=timezone.now()
        )
        == 0
    ):
        raise Conflict(_("This member has already signed in."))
    participant.refresh_from_db()
    return participant


def minutes_save(*, actor: Actor, meeting: Meeting, minutes: str) -> Meeting:
    permissions.require(actor, "meeting_run", meeting.node.path)
    _require_stage(meeting, MEETING_STAGES, _("Minutes are written while the meeting is held."))
    meeting.minutes = text("minutes", minutes, limit=20000)
    meeting.save(update_fields=["minutes", "updated_at"])
    return meeting


def decision_add(
    *,
    actor: Actor,
    meeting: Meeting,
    text_: str,
    responsible_name: str,
    working_days: int,
    item: AgendaItem | None = None,
    responsible: Organisation | None = None,
    topic: Topic | None = None,
) -> Decision:
    """A decision with a responsible unit and a due date counted in working days; it becomes a tracked result."""
    permissions.require(actor, "meeting_run", meeting.node.path)
    _require_stage(meeting, MEETING_STAGES, _("Decisions are taken while the meeting is held."))
    if item is not None and item.meeting_id != meeting.pk:
        raise invalid("item", _("That agenda item belongs to another meeting."))
    if topic is not None and not selectors.topic_visible(actor, topic):
        raise invalid("topic", _("That hall topic is not in your area."))
    in_area = appeal_selectors.organisations_for(actor) if actor is not None else Organisation.objects.all()
    if responsible is not None and not in_area.filter(pk=responsible.pk).exists():
        raise invalid("responsible", _("This is outside your area."))
    if not 1 <= working_days <= 250:
        raise invalid("working_days", _("Give between 1 and 250 working days."))
    due_on = timezone.localtime(add_working_time(timezone.now(), days=working_days)).date()
    name = text("responsible_name", responsible_name or (responsible.name if responsible else ""), limit=120)
    with transaction.atomic():
        decision = Decision.objects.create(
            meeting=meeting,
            item=item,
            text=text("text", text_, limit=300),
            responsible=responsible,
            responsible_name=name,
            due_on=due_on,
            topic=topic,
        )
        deadlines_create(
            Result.objects.create(
                meeting=meeting, decision=decision, title=decision.text[:120], due_on=due_on
            )
        )
        if topic is not None:
            _tell_followers(decision, topic)
    return decision


def _tell_followers(decision: Decision, topic: Topic) -> None:
    """The topic's followers (its author and those who commented, unless they stopped following, and anyone who
    chose to follow it) are told in their inbox that a meeting's decision answers it."""
    followers = [f.user for f in TopicFollower.objects.filter(topic=topic).select_related("user")]
    notify(
        followers,
        title=_("A meeting's decision answers the topic “%(title)s”") % {"title": topic.title[:40]},
        body=decision.text,
        url=reverse("deliberation:topic", args=[topic.pk]),
    )


def decision_answer_topic(*, actor: Actor, decision: Decision, topic: Topic | None) -> Decision:
    """Link a decision to the hall topic it answers (or unlink it, topic None), at any stage: the topic's page
    then shows the decision and its result's progress, and the topic's followers are told."""
    meeting = decision.meeting
    permissions.require(actor, "meeting_run", meeting.node.path)
    if topic is not None:
        if not selectors.topic_visible(actor, topic):
            raise invalid("topic", _("That hall topic is not in your area."))
        if not topic.node.path.startswith(meeting.node.path) and not meeting.node.path.startswith(
            topic.node.path
        ):
            raise invalid("topic", _("That hall topic is of another area than the meeting's."))
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.topic_id == (topic.pk if topic else None):
            return locked
        locked.topic = topic
        locked.save(update_fields=["topic", "updated_at"])
        MeetingEvent.objects.create(
            meeting=meeting,
            action="answer_topic",
            note=(
                _("“%(decision)s” answers the hall topic “%(topic)s”")
                % {"decision": locked.text[:100], "topic": topic.title[:60]}
                if topic
                else _("“%(decision)s” no longer answers a hall topic") % {"decision": locked.text[:100]}
            )[:300],
            actor=person(actor),
        )
        if topic is not None:
            _tell_followers(locked, topic)
    return locked


def _check_ready(meeting: Meeting, action: str) -> None:
    if action == "open_deliberation" and not meeting.agenda.exists():
        raise ValidationFailed(_("Collect at least one agenda item before holding the meeting."))
    if action == "start_implementation":
        if not meeting.participants.filter(signed_in_at__isnull=False).exists():
            raise ValidationFailed(_("No member has signed in: record the attendance first."))
        if not meeting.minutes.strip():
            raise ValidationFailed(_("Write the minutes before closing the meeting."))
        if not meeting.decisions.exists():
            raise ValidationFailed(_("Record at least one decision before closing the meeting."))
    if action == "open_evaluation":
        open_roots = meeting.results.filter(parent__isnull=True).exclude(status__in=["done", "dropped"])
        if open_roots.exists():
            raise ValidationFailed(
                _("Some results are not done yet; residents rate the outcome once they are.")
            )


def meeting_transition(*, actor: Actor, meeting: Meeting, action: str, note: str = "") -> Meeting:
    """Move a meeting along the five steps (the one place that writes a meeting's stage and its events)."""
    if action not in TRANSITIONS:
        raise invalid(
            "action",
            _("There is no step “%(action)s”: the steps are %(steps)s.")
            % {"action": action, "steps": "、".join(TRANSITIONS)},
        )
    source, target, permission = TRANSITIONS[action]
    permissions.require(actor, permission, meeting.node.path)
    note = text("note", note, limit=300, required=action == "return_filing")
    original = meeting
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.stage != source:  # a page or a client that saw an earlier stage
            raise InvalidTransition(
                _("The meeting is at the stage “%(stage)s”: “%(step)s” cannot be taken now.")
                % {"stage": Stage(meeting.stage).label, "step": LABELS[action]}
            )
        _check_ready(meeting, action)
        now = timezone.now()
        meeting.stage = target
        fields = ["stage", "updated_at"]
        if action == "submit_filing":
            meeting.filed_at = now
            meeting.filing_note = ""
            fields += ["filed_at", "filing_note"]
        if action in ("acknowledge_filing", "return_filing"):
            meeting.filing_decided_at = now
            meeting.filing_decided_by = person(actor)
            meeting.filing_note = note
            fields += ["filing_decided_at", "filing_decided_by", "filing_note"]
        meeting.save(update_fields=fields)
        MeetingEvent.objects.create(
            meeting=meeting, action=action, from_stage=source, to_stage=target, note=note, actor=person(actor)
        )
        _after_transition(meeting, action, note)
    original.refresh_from_db()  # the caller's object shows the new stage too
    return original


def _after_transition(meeting: Meeting, action: str, note: str) -> None:
    url = reverse("deliberation:meeting", args=[meeting.pk])
    if action == "open_evaluation":
        from linli.accounts.models import User

        residents = User.objects.filter(
            household__in=selectors.households_of(meeting.node), household_verified_at__isnull=False
        )
        notify(
            list(residents),
            title=_("How did it go? Rate the outcome"),
            body=meeting.title,
            url=reverse("deliberation:meeting_public", args=[meeting.pk]),
        )
    elif action == "submit_filing":
        notify(
            list(street_officers_over(meeting.node.path)),
            title=_("A meeting record waits for filing"),
            body=meeting.title,
            url=url,
        )
    elif action in ("acknowledge_filing", "return_filing") and meeting.created_by_id:
        title = (
            _("The street acknowledged the filing")
            if action == "acknowledge_filing"
            else _("The street returned the filing")
        )
        notify([meeting.created_by], title=title, body=note or meeting.title, url=url)


def meeting_rate(
    *,
    actor: Actor,
    meeting: Meeting,
    rating: str,
    answers: dict[str, str] | None = None,
    comment: str = "",
) -> MeetingRating:
    """评价反馈: a household concerned answers the short survey once: the overall rating and every question
    the meeting asks (`answers`: question id → satisfied / basic / unsatisfied)."""
    household = selectors.verified_household(actor)
    if household is None:
        raise PermissionDenied(_("Only residents with a verified household may rate the outcome."))
    if not selectors.household_in(household, meeting.node):
        raise PermissionDenied(_("This meeting concerned another area."))
    _require_stage(meeting, RATING_STAGES, _("Rating is open once the results are done, until the filing."))
    if rating not in Rating.values:
        raise invalid("rating", _("Choose a rating."))
    answers = {str(k): v for k, v in (answers or {}).items()}
    questions = list(meeting.questions.all())
    for question in questions:
        if answers.get(str(question.pk)) not in Rating.values:
            raise invalid(f"q{question.pk}", _("Answer every question of the survey."))
    comment = text("comment", comment, limit=200, required=False)
    try:
        with transaction.atomic():
            response = MeetingRating.objects.create(
                meeting=meeting, household=household, rating=rating, comment=comment, user=person(actor)
            )
            RatingAnswer.objects.bulk_create(
                RatingAnswer(rating=response, question=q, answer=answers[str(q.pk)]) for q in questions
            )
            return response
    except IntegrityError:
        raise Conflict(_("Your household has already rated this outcome.")) from None


def months_later(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` later (the last day of a shorter month)."""
    import calendar

    local = timezone.localtime(moment)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


MONTH_NAMES = (
    "一月",
    "二月",
    "三月",
    "四月",
    "五月",
    "六月",
    "七月",
    "八月",
    "九月",
    "十月",
    "十一月",
    "十二月",
)


def next_month_title(title: str, moment: dt.datetime) -> str:
    """A series' title for the meeting a month after `moment`: the month it names, in words (十一月每月一议) or
    figures (11月议事会), becomes the next (十二月每月一议, 12月议事会); a title naming no month stays."""
    import re

    month = timezone.localtime(moment).month
    said, following = MONTH_NAMES[month - 1], MONTH_NAMES[month % 12]
    # Not inside a longer month's name (一月 in 十一月) nor a longer number (1月 in 11月).
    title = re.sub(rf"(?<![十\d]){said}", following, title)
    return re.sub(rf"(?<!\d){month}月", f"{month % 12 + 1}月", title)


def meeting_repeat(*, actor: Actor, meeting: Meeting, title: str = "") -> Meeting:
    """每月一议: convene the next meeting of a series a month after this one, in the same place with the same
    members (to be invited again); it starts at 民意征集, its title naming the next month where this one's named
    its month (`next_month_title`)."""
    permissions.require(actor, "meeting_run", meeting.node.path)
    nxt = meeting_create(
        actor=actor,
        node=meeting.node,
        kind=meeting.kind,
        title=title or next_month_title(meeting.title, meeting.scheduled_at),
        scheduled_at=months_later(meeting.scheduled_at, 1),
        place=meeting.place,
        convener=meeting.convener,
    )
    Participant.objects.bulk_create(
        Participant(meeting=nxt, side=p.side, name=p.name, unit=p.unit, phone=p.phone, user_id=p.user_id)
        for p in meeting.participants.exclude(side=Side.RESIDENT)
    )
    _questions_write(nxt, list(meeting.questions.values_list("text", flat=True)))  # the series asks the same
    MeetingEvent.objects.create(
        meeting=nxt,
        action="repeat",
        note=_("Follows %(title)s") % {"title": meeting.title},
        actor=person(actor),
    )
    return nxt
