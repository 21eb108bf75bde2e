"""Forms of the co-governance pages. They read what a person typed; the services check everything again (scope,
stages, the household rule) and have the last word. Choices of related objects come from scoped selectors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.accounts.models import User
from linli.appeals.topics import topics_of_street_over
from linli.core.form_kit import TextForm, preselect_the_only
from linli.core.scoping import Viewer
from linli.core.widgets import DateTimeInput
from linli.party.models import PartyOrg
from linli.territory.models import OrgNode
from linli.territory.selectors import households_visible_to, visits_visible_to

from . import selectors
from .choices import MeetingKind, OwnersMatter, Rating, Side, VoteMethod, VoteVoter
from .models import AgendaItem, Meeting, Topic, Vote
from .paper_finder import HouseholdFinder, household_row, vote_households, why_not_in_vote

DATETIME = DateTimeInput()


class NodeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"


def _lines(value: str) -> list[str]:
    return [
        line.strip()
        for line in (value or "").replace("，", ",").replace(",", "\n").splitlines()
        if line.strip()
    ]


class MeetingForm(TextForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    node = NodeChoice(label=_("Community or compound"), queryset=OrgNode.objects.none())
    convener = forms.ModelChoiceField(
        label=_("Convened by"), queryset=PartyOrg.objects.none(), required=False, empty_label="—"
    )
    scheduled_at = forms.DateTimeField(
        label=_("Date and time"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    place = forms.CharField(label=_("Place"), max_length=120, required=False)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        nodes = selectors.communities_for(user)
        self.fields["node"].queryset = nodes  # type: ignore[attr-defined]
        preselect_the_only(self.fields["node"], among=nodes.filter(kind="community"))
        parties = PartyOrg.objects.filter(org_node__in=nodes).order_by("name")
        self.fields["convener"].queryset = parties  # type: ignore[attr-defined]


AGENDA_TOPICS, AGENDA_MONTHS, AGENDA_VISITS = 50, 12, 30


class AgendaForm(TextForm):
    # The service names its arguments, as the API's body does; its refusal of one goes under the field here.
    field_aliases = {
        "appeal_numbers": "appeals",
        "topic_ids": "topics",
        "monthly_topic_ids": "monthly_topics",
        "visit_ids": "visits",
    }
    title = forms.CharField(label=_("Agenda item"), max_length=120)
    summary = forms.CharField(
        label=_("Opinions collected"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    appeals = forms.CharField(
        label=_("Appeals (tracking numbers)"), required=False, help_text=_("Separate several with commas.")
    )
    topics = forms.MultipleChoiceField(label=_("Hall topics"), required=False, choices=[])
    monthly_topics = forms.MultipleChoiceField(
        label=_("Monthly topics of the street"), required=False, choices=[]
    )
    box = forms.CharField(label=_("From the suggestion box"), max_length=200, required=False)
    visits = forms.MultipleChoiceField(label=_("Entries of the grid visit log"), required=False, choices=[])
    visit = forms.CharField(label=_("From grid visit logs"), max_length=200, required=False)

    def __init__(self, *args: Any, meeting: Meeting, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topics = selectors.topics_visible_to(user).filter(node__path__startswith=meeting.node.path)[
            :AGENDA_TOPICS
        ]
        self.fields["topics"].choices = [(t.pk, t.title) for t in topics]  # type: ignore[attr-defined]
        # The pickers offer the latest of each, and their help says how many, not every one ever recorded.
        self.fields["topics"].help_text = _("The area's %(n)d latest topics.") % {"n": AGENDA_TOPICS}
        self.fields["monthly_topics"].help_text = _("The street's %(n)d latest monthly topics.") % {
            "n": AGENDA_MONTHS
        }
        self.fields["visits"].help_text = _(
            "The area's %(n)d latest visits that found something to follow up."
        ) % {"n": AGENDA_VISITS}
        monthly = topics_of_street_over(user, meeting.node.path)[:AGENDA_MONTHS]  # type: ignore[arg-type]
        self.fields["monthly_topics"].choices = [  # type: ignore[attr-defined]
            (m.pk, f"{m.month:%Y-%m} {m.title}") for m in monthly
        ]
        # The area's recent visits that found something to follow up, newest first.
        visits = (
            visits_visible_to(user)
            .filter(grid__org_node__path__startswith=meeting.node.path)
            .exclude(follow_up="")
            .order_by("-visited_at")[:AGENDA_VISITS]
        )
        self.fields["visits"].choices = [  # type: ignore[attr-defined]
            (v.pk, f"{v.visited_at:%m-%d} {v.place_label}：{v.follow_up}"[:120]) for v in visits
        ]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        other = [("suggestion_box", data["box"])] if data["box"] else []
        if data["visit"]:
            other.append(("visit", data["visit"]))
        return {
            "title": data["title"],
            "summary": data["summary"],
            "appeal_numbers": _lines(data["appeals"]),
            "topic_ids": [int(t) for t in data["topics"]],
            "monthly_topic_ids": [int(t) for t in data["monthly_topics"]],
            "visit_ids": [int(v) for v in data["visits"]],
            "other_sources": other,
        }


class ParticipantForm(TextForm):
    side = forms.ChoiceField(label=_("Speaks for"), choices=Side.choices)
    name = forms.CharField(label=_("Name"), max_length=50)
    unit = forms.CharField(label=_("Unit"), max_length=120, required=False)
    phone = forms.CharField(label=_("Mobile number"), max_length=24, required=False)


class MinutesForm(TextForm):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)


class DecisionForm(TextForm):
    text_ = forms.CharField(label=_("What was decided"), max_length=300)
    item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False, empty_label="—"
    )
    responsible_name = forms.CharField(label=_("Responsible unit"), max_length=120)
    working_days = forms.IntegerField(label=_("Due in working days"), min_value=1, max_value=250, initial=10)
    topic = forms.ModelChoiceField(
        label=_("Answers the hall topic"), queryset=Topic.objects.none(), required=False, empty_label="—"
    )

    def __init__(self, *args: Any, meeting: Meeting, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.agenda.all()  # type: ignore[attr-defined]
        self.fields["topic"].queryset = meeting_topics(meeting, user)  # type: ignore[attr-defined]


def meeting_topics(meeting: Meeting, user: Viewer) -> Any:
    """Hall topics a meeting's decision may answer: the visible ones of its area, newest first."""
    return (
        selectors.topics_visible_to(user)
        .filter(node__path__startswith=meeting.node.path, moderation="visible")
        .order_by("-created_at")
    )


class AnswerTopicForm(TextForm):
    topic = forms.ModelChoiceField(
        label=_("Answers the hall topic"), queryset=Topic.objects.none(), required=False, empty_label="—"
    )

    def __init__(self, *args: Any, meeting: Meeting, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = meeting_topics(meeting, user)  # type: ignore[attr-defined]


def lines_of(text: str) -> list[str]:
    """A text typed one entry per line (survey questions, a vote's options): its lines, trimmed, blank ones left out."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class SurveyForm(TextForm):
    questions = forms.CharField(
        label=_("Survey questions (one per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "Households answer each with satisfied, basically satisfied or unsatisfied, after the overall "
            "rating. At most eight; leave empty to ask only the overall rating."
        ),
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {"questions": lines_of(self.cleaned_data["questions"])}


class ProgressForm(TextForm):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Progress made"), max_length=300)
    photo = forms.FileField(label=_("Photo"), required=False)


class PartForm(TextForm):
    title = forms.CharField(label=_("Part"), max_length=120)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)


class FilingReturnForm(TextForm):
    note = forms.CharField(
        label=_("Reason"),
        max_length=300,
        error_messages={
            "required": _("Say why the filing is returned: the community corrects the record by it.")
        },
    )


class TopicForm(TextForm):
    title = forms.CharField(label=_("Title"), max_length=80)
    body = forms.CharField(
        label=_("What it is about"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000
    )


class BallotChoiceForm(forms.Form):
    """What a ballot's choices were refused for (nothing ticked, two options in one place…), carried to the choice
    the vote's page draws by hand (partials/ballot_fields.html), under its name: the service names the ballot's
    `option_ids` or `marks`, as the API's body does. The choices themselves are read from the request."""

    field_aliases = {"option_ids": "choice", "marks": "choice"}
    choice = forms.Field(required=False)


class CommentForm(TextForm):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReportForm(TextForm):
    reason = forms.CharField(
        label=_("Why should a moderator look at this?"),
        max_length=200,
        error_messages={"required": _("Say why a moderator should look at this.")},
    )


class ModerateForm(TextForm):
    decision = forms.ChoiceField(
        choices=[("keep", _("Keep")), ("remove", _("Remove"))],
        error_messages={
            "required": _("Choose to keep or to remove it."),
            "invalid_choice": _("Choose to keep or to remove it."),
        },
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "remove" and not data.get("reason") and "reason" not in self.errors:
            self.add_error("reason", _("Say why it is removed: the reason is kept with the removed text."))
        return data


class VoteForm(TextForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    node = NodeChoice(label=_("Community or compound"), queryset=OrgNode.objects.none())
    method = forms.ChoiceField(label=_("Counted as"), choices=VoteMethod.choices)
    matter = forms.ChoiceField(label=_("Owners' matter"), choices=OwnersMatter.choices, required=False)
    voter = forms.ChoiceField(
        label=_("Who votes"),
        choices=VoteVoter.choices,
        initial=VoteVoter.HOUSEHOLD,
        help_text=_(
            "Per resident: each verified resident of the area votes for themselves. An owners' decision is always "
            "one ballot per household."
        ),
    )
    options = forms.CharField(
        label=_("Options (one per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "Not needed for an owners' decision: it offers agree, disagree and abstain. A ranking or score vote "
            "has at most 10 options."
        ),
    )
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    max_score = forms.IntegerField(
        label=_("Highest score"),
        min_value=1,
        max_value=10,
        initial=5,
        required=False,
        help_text=_("For a score vote: each option gets 0 to this many points."),
    )
    quorum = forms.IntegerField(
        label=_("Quorum (ballots)"),
        min_value=0,
        initial=0,
        help_text=_("Households, or residents on a per-resident vote."),
    )
    anonymous = forms.BooleanField(label=_("Anonymous ballots"), required=False)
    results_hidden = forms.BooleanField(label=_("Hide results until closed"), required=False)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        nodes = selectors.communities_for(user)
        self.fields["node"].queryset = nodes  # type: ignore[attr-defined]
        preselect_the_only(self.fields["node"], among=nodes.filter(kind="community"))

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["options"] = lines_of(data["options"])
        data["matter"] = data["matter"] or OwnersMatter.ORDINARY
        data["max_score"] = data["max_score"] or 5
        return data


class RatingForm(TextForm):
    """The short survey: the overall rating, then each question the meeting asks, on the same scale."""

    rating = forms.ChoiceField(
        label=_("Overall, how satisfied are you with the outcome?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), max_length=200, required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(meeting.questions.all())
        for question in self.questions:
            self.fields[f"q{question.pk}"] = forms.ChoiceField(
                label=question.text, choices=Rating.choices, widget=forms.RadioSelect
            )
        self.order_fields(["rating", *(f"q{q.pk}" for q in self.questions), "comment"])

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "rating": data["rating"],
            "comment": data["comment"],
            "answers": {str(q.pk): data[f"q{q.pk}"] for q in self.questions},
        }


class PaperBallotForm(TextForm):
    household = HouseholdFinder(
        label=_("Household"),
        placeholder=_("A resident's name, the building and room, or a phone"),
        help_text=_("Or the household's code. A household that has voted says so."),
    )
    resident = forms.ModelChoiceField(
        label=_("Resident who signed"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("A per-resident vote: the verified resident whose ballot this is."),
    )
    photo = forms.FileField(label=_("Photo of the signed form"))

    def __init__(self, *args: Any, vote: Vote, user: Viewer, **kwargs: Any) -> None:
        """On a per-resident vote, the worker picks the resident among the verified residents of the vote's area
        whose households they may see (shown as household code · name); otherwise there is no resident field."""
        super().__init__(*args, **kwargs)
        finder = self.fields["household"]
        assert isinstance(finder, HouseholdFinder)
        finder.configure(
            pool=vote_households(vote, user),
            url=reverse("deliberation:paper_household_finder", args=[vote.pk]),
            row=household_row,
            by_phone_end=True,
            explain=why_not_in_vote(vote, user),
        )
        if vote.voter == VoteVoter.RESIDENT:
            field = self.fields["resident"]  # optional here: the service says why when it is missing
            field.queryset = (  # type: ignore[attr-defined]
                selectors.residents_of(vote.node)
                .filter(household__in=households_visible_to(user))
                .select_related("household")
                .order_by("household__code", "display_name", "pk")
            )
            field.label_from_instance = lambda u: (  # type: ignore[attr-defined]
                f"{u.household.code} · {u.display_name or u.username}"
            )
        else:
            del self.fields["resident"]
