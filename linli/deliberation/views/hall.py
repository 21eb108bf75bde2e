"""The residents' hall (phone first): topics and comments, votes, meetings near me with their results, QR
sign-in, and the public record of filed meetings. Staff of the area see the same pages with their tools."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Case, Count, Prefetch, Q, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from linli.core.errors import NotFound, ValidationFailed
from linli.core.finder import finder_part
from linli.core.pages import (
    apply_domain_error,
    files_not_kept,
    form_errors,
    form_refused,
    form_submit,
    posted_form,
    redirect_on_error,
    refused_status,
    safe_url,
    signed_in_page,
    staff_page,
)
from linli.core.scoping import is_staff_member

from .. import permissions, selectors, services
from ..choices import Moderation, Stage, VoteMethod, VoteStatus, VoteVoter
from ..forms import (
    BallotChoiceForm,
    CommentForm,
    ModerateForm,
    PaperBallotForm,
    RatingForm,
    ReportForm,
    TopicForm,
    VoteForm,
)
from ..models import Ballot, BallotMark, Comment, Meeting, Vote
from .common import page, role_takes

TOPICS_PER_PAGE = 30
VOTES_PER_PAGE = 30  # the hall's votes, the open ones first
MEETINGS_PER_PAGE = 20  # the hall's meetings near me, the latest first
PUBLIC_PER_PAGE = 20  # 三公开's filed meetings, the latest first


@signed_in_page
@require_GET
def hall(request: HttpRequest) -> HttpResponse:
    user = request.user
    household = selectors.verified_household(user)
    # Open votes first (a resident comes to vote), then the closed ones, the latest first.
    still_open = Case(When(status=VoteStatus.OPEN, then=0), default=1)
    votes = Paginator(
        selectors.votes_visible_to(user).order_by(still_open, "-closes_at", "-id"), VOTES_PER_PAGE
    ).get_page(request.GET.get("votes"))
    voted = set()
    if household is not None:
        voted = set(
            Ballot.objects.filter(household=household, vote__in=[v.pk for v in votes])
            .filter(Q(person__isnull=True) | Q(person=user))  # a per-resident vote: only their own ballot
            .values_list("vote_id", flat=True)
        )
    meetings = (
        selectors.meetings_visible_to(user).exclude(stage=Stage.COLLECT).order_by("-scheduled_at", "-id")
    )
    context: dict[str, Any] = {
        "household": household,
        "community": selectors.resident_community(user),
        "topics": Paginator(selectors.topics_visible_to(user), TOPICS_PER_PAGE).get_page(
            request.GET.get("topics")
        ),
        "votes": votes,
        "voted": voted,
        "meetings": Paginator(meetings, MEETINGS_PER_PAGE).get_page(request.GET.get("meetings")),
        "staff": is_staff_member(user),
    }
    return page(request, "deliberation/hall.html", "hall", context)


@signed_in_page
@require_http_methods(["GET", "POST"])
def topic_new(request: HttpRequest) -> HttpResponse:
    form = TopicForm(request.POST if request.method == "POST" else None)
    write = partial(services.topic_create, actor=request.user, node=_staff_node(request))
    if done := form_submit(request, form, write, lambda topic: redirect("deliberation:topic", topic.pk)):
        return done
    return page(
        request,
        "deliberation/topic_form.html",
        "hall",
        {
            "form": form,
            "household": selectors.verified_household(request.user),
            "nodes": selectors.communities_for(request.user) if is_staff_member(request.user) else [],
        },
        status=refused_status(request),
    )


def _staff_node(request: HttpRequest) -> Any:
    if not is_staff_member(request.user):
        return None
    node = selectors.communities_for(request.user).filter(pk=request.POST.get("node") or 0).first()
    return node


def _topic_page(request: HttpRequest, pk: int, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    topic = selectors.topic_get_for(user, pk)
    comments = selectors.topic_comments(topic)
    top = [c for c in comments if c.parent_id is None]
    replies: dict[int, list[Comment]] = {}
    for c in comments:
        if c.parent_id:
            replies.setdefault(c.parent_id, []).append(c)
    # A refused reply comes back in its box under the comment it answers, the comment form left empty.
    sent = forms.get("comment_form")
    replying = str(sent.data.get("parent") or "") if sent is not None else ""
    for c in top:
        c.reply_list = replies.get(c.pk, [])  # type: ignore[attr-defined]
        if replying == str(c.pk):
            c.reply_form, sent = forms.pop("comment_form"), None  # type: ignore[attr-defined]
    moderator = permissions.may(user, "hall_moderate", topic.node.path)
    context = {
        "topic": topic,
        "comments": top,
        "moderator": moderator,
        "answers": selectors.topic_answers(topic),
        "following": selectors.topic_followed_by(topic, user),
        "votes": list(topic.votes.all()),
        "comment_form": sent or CommentForm(),
        "report_form": ReportForm(),
        "moderate_form": ModerateForm(),
        "hidden": Moderation.HIDDEN,
        "removed": Moderation.REMOVED,
    }
    return page(request, "deliberation/topic.html", "hall", context, status=status)


@signed_in_page
@require_GET
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _topic_page(request, pk)


@signed_in_page
@posted_form("deliberation:topic")
@redirect_on_error("deliberation:topic", "pk")
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment, or a reply (`parent`). Refused: the topic's page again (422) with the reason beside what was typed:
    a reply in its box under the comment, except when that comment is no longer there: then what was typed is in
    the comment form, to post as a comment if the person wishes."""
    topic = selectors.topic_get_for(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_add(
                actor=request.user,
                topic=topic,
                body=form.cleaned_data["body"],
                parent_id=form.cleaned_data["parent"],
            )
        except ValidationFailed as exc:
            gone = exc.extra.get("field") == "parent_id"
            if gone:  # what was typed goes into the comment form, without the comment it answered
                form = CommentForm({"body": form.data.get("body", "")})
                form.is_valid()
            apply_domain_error(form, exc)
            if gone:
                form.add_error(None, _("What you wrote is kept below: post it as a comment if you wish."))
        else:
            return redirect(reverse("deliberation:topic", args=[topic.pk]) + f"#c{comment.pk}")
    return _topic_page(request, pk, 422, comment_form=form)


@signed_in_page
@posted_form("deliberation:topic")
@redirect_on_error("deliberation:topic", "pk")
def topic_follow(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_get_for(request.user, pk)
    follow = request.POST.get("follow") != "0"
    services.topic_follow(actor=request.user, topic=topic, follow=follow)
    messages.success(
        request,
        _("You follow this topic: you will be told when a meeting decides on it.")
        if follow
        else _("You no longer follow this topic."),
    )
    return redirect("deliberation:topic", topic.pk)


def _target(request: HttpRequest, kind: str, pk: int) -> dict[str, Any]:
    if kind == "topic":
        return {"topic": selectors.topic_get_for(request.user, pk)}
    return {"comment": selectors.comment_get_for(request.user, pk)}


def _topic_of(target: dict[str, Any]) -> int:
    return int(target["topic"].pk if "topic" in target else target["comment"].topic_id)


@signed_in_page
@posted_form("deliberation:hall", kwargs=())
@redirect_on_error("deliberation:hall")
def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target = _target(request, kind, pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)  # a reason missing or too long, said; what was typed filled in again
    else:
        services.content_report(actor=request.user, reason=form.cleaned_data["reason"], **target)
        messages.success(request, _("Thank you: a moderator will look at it."))
    return redirect("deliberation:topic", _topic_of(target))


@staff_page
@require_GET
def moderation(request: HttpRequest) -> HttpResponse:
    queue = selectors.moderation_queue(request.user)
    groups = [("topic", queue["topics"]), ("comment", queue["comments"])]
    return page(request, "deliberation/moderation.html", "moderation", {"groups": groups})


def _moderated(decision: str, target: dict[str, Any]) -> str:
    """What a moderator's 保留 / 移除 did, said as the other staff actions say theirs."""
    if "topic" in target:
        said = (
            _("“%(title)s” is kept and shown again.")
            if decision == "keep"
            else _("“%(title)s” is removed; the reason is kept with it.")
        )
        return said % {"title": target["topic"].title}
    if decision == "keep":
        return _("The comment is kept and shown again.")
    return _("The comment is removed; the reason is kept with it.")


@staff_page
@posted_form("deliberation:moderation", kwargs=())
@redirect_on_error("deliberation:moderation")
def moderate(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target = _target(request, kind, pk)
    form = ModerateForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
    else:
        services.content_moderate(actor=request.user, **form.cleaned_data, **target)
        messages.success(request, _moderated(form.cleaned_data["decision"], target))
    return redirect(safe_url(request, request.POST.get("next")) or reverse("deliberation:moderation"))


# --- votes ----------------------------------------------------------------------------------------------------


@staff_page
@require_http_methods(["GET", "POST"])
def vote_new(request: HttpRequest) -> HttpResponse:
    role_takes(request.user, "vote_manage")
    form = VoteForm(request.POST if request.method == "POST" else None, user=request.user)

    def write(**_: Any) -> Vote:  # the form shapes the service's arguments from what was typed
        return services.vote_create(actor=request.user, **form.service_kwargs())

    if done := form_submit(request, form, write, lambda vote: redirect("deliberation:vote", vote.pk)):
        return done
    return page(request, "deliberation/vote_form.html", "hall", {"form": form}, refused_status(request))


def _vote_page(request: HttpRequest, pk: int, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    vote = selectors.vote_get_for(user, pk)
    household = selectors.verified_household(user)
    ballot = selectors.ballot_of(vote, household, user)
    shown = selectors.results_shown(vote, user)
    staff_actions = permissions.actions_for(user, vote.node.path)
    options = list(vote.options.all())
    picked = {c.pk for c in ballot.choices.all()} if ballot else set()
    tally = selectors.vote_tally(vote) if shown else None
    # A refused ballot (online or paper) is shown again with what was ticked or placed, not an empty form.
    posted: tuple[list[int], dict[int, int]] = forms.get("posted") or ([], {})
    ticked, marked = posted
    for o in options:
        o.ticked = o.pk in ticked  # type: ignore[attr-defined]
        o.mark = marked.get(o.pk)  # type: ignore[attr-defined]
    context = {
        "vote": vote,
        "options": options,
        "household": household,
        # A resident of the community opening a vote of a compound they do not live in: no ballot to fill in.
        "votes_here": household is not None and selectors.household_in(household, vote.node),
        "ballot": ballot,
        # What the household ticked, in the options' order: said as a list (棋牌、舞蹈), not run together by spaces.
        "chosen": [o.label for o in options if o.pk in picked],
        "shown": shown,
        "tally": tally,
        "leading": _leading(vote, tally) if tally and vote.status == VoteStatus.CLOSED else [],
        "is_open": vote.status == VoteStatus.OPEN,
        "owners": vote.method == VoteMethod.OWNERS,
        "multiple": vote.method == VoteMethod.MULTIPLE,
        "ranking": vote.method == VoteMethod.RANKING,
        "scoring": vote.method == VoteMethod.SCORE,
        "places": range(1, len(options) + 1),
        "scores": range(vote.max_score + 1),
        "staff_actions": staff_actions,
        "per_resident": vote.voter == VoteVoter.RESIDENT,
        "paper_form": forms.get("paper_form") or PaperBallotForm(vote=vote, user=user),
        **(_ballots(request, vote) if ("paper_ballot" in staff_actions and not vote.anonymous) else {}),
        "ballot_form": forms.get("ballot_form"),
        "paper_choice": forms.get("paper_choice"),
    }
    return page(request, "deliberation/vote.html", "hall", context, status=status)


def _leading(vote: Vote, tally: selectors.Tally) -> list[str]:
    """The options that came first in a closed vote (several on a tie; none without ballots): the most chosen, or
    for a ranking or score vote the most points. An owners' decision has its own verdict."""
    if vote.method == VoteMethod.OWNERS or not tally.ballots:
        return []
    marked = vote.method in (VoteMethod.RANKING, VoteMethod.SCORE)
    top = max((c.points if marked else c.households) for c in tally.options)
    return [c.label for c in tally.options if (c.points if marked else c.households) == top]


BALLOTS_PER_PAGE = 20


def _ballots(request: HttpRequest, vote: Vote) -> dict[str, Any]:
    """An open-ballot vote's ballots for its area's workers, by household, twenty to a page (`ballots=` the page),
    paper ones only or online ones only when `how` asks; with the count of each."""
    rows = vote.ballots.select_related("household", "person").order_by("household__code", "pk")
    counts = dict(rows.values_list("is_paper").annotate(n=Count("pk")).order_by())
    how = request.GET.get("how", "")
    if how in ("paper", "online"):
        rows = rows.filter(is_paper=how == "paper")
    else:
        how = ""
    rows = rows.prefetch_related(
        "choices", Prefetch("marks", queryset=BallotMark.objects.select_related("option"))
    )
    return {
        "ballots": Paginator(rows, BALLOTS_PER_PAGE).get_page(request.GET.get("ballots")),
        "ballots_how": how,
        "ballots_paper": counts.get(True, 0),
        "ballots_online": counts.get(False, 0),
    }


def _ballot_input(request: HttpRequest, vote: Vote) -> tuple[list[int], dict[int, int]]:
    """The options ticked (`option`), and for a ranking or score vote each option's place or score
    (`mark_<option id>`); anything unreadable is left out, and the service says what is missing."""
    ids = [int(v) for v in request.POST.getlist("option") if v.isdigit()]
    marks: dict[int, int] = {}
    for key in request.POST:
        value = request.POST.get(key, "")
        if key.startswith("mark_") and key.removeprefix("mark_").isdigit() and value.isdigit():
            marks[int(key.removeprefix("mark_"))] = int(value)
    return ids, marks


@signed_in_page
@require_GET
def vote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _vote_page(request, pk)


@signed_in_page
@posted_form("deliberation:vote")
@redirect_on_error("deliberation:vote", "pk")
def ballot_cast(request: HttpRequest, pk: int) -> HttpResponse:
    """Cast the ballot. Choices refused (none ticked, two options in one place…): the vote's page again (422)
    with the reason in the ballot's choice, above the options, and everything ticked or placed kept; any other refusal (closed, voted
    already) is said on the vote's page by the middleware."""
    vote = selectors.vote_get_for(request.user, pk)
    ids, marks = _ballot_input(request, vote)
    refusal = BallotChoiceForm(request.POST)  # the choices are read by _ballot_input; it carries a refusal
    with form_errors(refusal):
        services.ballot_cast(actor=request.user, vote=vote, option_ids=ids, marks=marks)
        if vote.voter == VoteVoter.RESIDENT:
            messages.success(request, _("Your ballot is counted. Thank you."))
        else:
            messages.success(request, _("Your household's ballot is counted. Thank you."))
        return redirect("deliberation:vote", vote.pk)
    return _vote_page(request, pk, 422, ballot_form=refusal, posted=(ids, marks))


@staff_page
@posted_form("deliberation:vote")
@redirect_on_error("deliberation:vote", "pk")
def paper_ballot(request: HttpRequest, pk: int) -> HttpResponse:
    vote = selectors.vote_get_for(request.user, pk)
    form = PaperBallotForm(request.POST, request.FILES, vote=vote, user=request.user)
    # The choice on the signed form is drawn apart from the form's fields: its refusal goes under it.
    choice = BallotChoiceForm(request.POST)
    if form.is_valid():
        ids, marks = _ballot_input(request, vote)
        try:
            services.ballot_record_paper(
                actor=request.user,
                vote=vote,
                household=form.cleaned_data["household"],
                option_ids=ids,
                marks=marks,
                photo=form.cleaned_data["photo"],
                resident=form.cleaned_data.get("resident"),
            )
        except ValidationFailed as exc:  # under the choice, or under the form's own field it names
            apply_domain_error(choice if exc.extra.get("field") in choice.field_aliases else form, exc)
        else:
            return redirect("deliberation:vote", vote.pk)
    files_not_kept(request, form)  # the photo of the signed form is to be chosen again: said under it
    return _vote_page(
        request, pk, 422, paper_form=form, paper_choice=choice, posted=_ballot_input(request, vote)
    )


@staff_page
@require_GET
def paper_household_finder(request: HttpRequest, pk: int) -> HttpResponse:
    """The paper ballot form's suggestions (htmx) for what is typed in its household box: the vote's households
    the recorder may see."""
    vote = selectors.vote_get_for(request.user, pk)
    permissions.require(request.user, "paper_ballot", vote.node.path)
    return finder_part(request, PaperBallotForm(vote=vote, user=request.user))


@staff_page
@posted_form("deliberation:vote")
@redirect_on_error("deliberation:vote", "pk")
def vote_close(request: HttpRequest, pk: int) -> HttpResponse:
    vote = selectors.vote_get_for(request.user, pk)
    services.vote_close(actor=request.user, vote=vote)
    return redirect("deliberation:vote", vote.pk)


# --- meetings for residents, QR sign-in, the public record ---------------------------------------------------


@require_GET
def meeting_public(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting as residents see it: agenda, decisions, results with progress, and the rating (三公开 once filed)."""
    meeting = selectors.public_meetings().filter(pk=pk).first()
    if meeting is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:resident_login"))
        meeting = selectors.meeting_get_for(request.user, pk)
    return _meeting_public_page(request, meeting)


def _meeting_public_page(
    request: HttpRequest, meeting: Meeting, status: int = 200, rating_form: RatingForm | None = None
) -> HttpResponse:
    household = selectors.verified_household(request.user)
    survey = selectors.survey_summary(meeting)
    may_rate = (
        meeting.stage == Stage.EVALUATE
        and household is not None
        and selectors.household_in(household, meeting.node)
    )
    context = {
        "meeting": meeting,
        "agenda": selectors.meeting_agenda(meeting),
        "decisions": list(meeting.decisions.all()),
        "results": selectors.flatten(selectors.result_tree(meeting)),
        "survey": survey,
        "ratings_total": survey[0]["total"],
        "my_rating": selectors.rating_of(meeting, household),
        "may_rate": may_rate,
        "rating_form": rating_form or RatingForm(meeting=meeting),
        "attended": meeting.participants.filter(signed_in_at__isnull=False).count(),
    }
    return page(request, "deliberation/meeting_public.html", "hall", context, status=status)


@signed_in_page
@posted_form("deliberation:meeting_public")
@redirect_on_error("deliberation:meeting_public", "pk")
def meeting_rate(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk)
    form = RatingForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return _meeting_public_page(request, meeting, status=422, rating_form=form)
    services.meeting_rate(actor=request.user, meeting=meeting, **form.service_kwargs())
    messages.success(request, _("Thank you for your rating."))
    return redirect("deliberation:meeting_public", meeting.pk)


@signed_in_page
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest, token: str) -> HttpResponse:
    meeting = Meeting.objects.select_related("node").filter(sign_in_token=token).first()
    if meeting is None:
        raise NotFound()
    participant = meeting.participants.filter(user_id=request.user.pk or 0).first()
    if request.method == "POST":
        participant = services.meeting_sign_in(actor=request.user, token=token)
    return page(
        request, "deliberation/sign_in.html", "hall", {"meeting": meeting, "participant": participant}
    )


@require_GET
def public(request: HttpRequest) -> HttpResponse:
    """三公开: meetings the street has filed, with their decisions and results, for anyone."""
    meetings = Paginator(selectors.public_meetings().prefetch_related("decisions"), PUBLIC_PER_PAGE)
    return page(
        request, "deliberation/public.html", "hall", {"meetings": meetings.get_page(request.GET.get("page"))}
    )
