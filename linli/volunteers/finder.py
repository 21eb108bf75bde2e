"""Finding an account of the time bank by a person's name or mobile number, where a drop-down of every account of
a community (hundreds of volunteers) used to be: the staff's transfer form and a volunteer's spending form.

A search box offers what it may mean as one types (htmx asks the server, inside the reader's scope: `pool`), each
suggestion a radio button (or a tick box, for several payers) to choose. Without JavaScript the box is resolved
when the form is sent: a whole mobile number or a whole name that only one account carries is that account;
nothing found, or several carrying the name, comes back with a message in Chinese and the accounts to choose
from, everything typed kept. A choice made stands while the text still finds it, so a box whose text was changed
afterwards is read again rather than overruled by an old tick.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import BankAccount
from .selectors import accounts_found, accounts_named

OPTIONS = 8  # suggestions shown at once; more asks for more of the name
SEPARATORS = re.compile(r"[,，、;；\n]+")


@dataclass(frozen=True)
class Problem:
    """An entry that names no account, or several: the message, and the accounts to choose from."""

    entry: str
    options: list[BankAccount]
    several: bool
    more: bool

    @property
    def message(self) -> str:
        words = {"entry": self.entry, "n": len(self.options)}
        if self.several and self.more:
            return _("Many accounts are named “%(entry)s”: type their mobile number.") % words
        if self.several:
            return (
                _("%(n)s accounts are named “%(entry)s”: choose one below, or type the mobile number.")
                % words
            )
        if self.more:
            return (
                _("No account is named exactly “%(entry)s”: type more of the name, or the mobile number.")
                % words
            )
        if self.options:
            return (
                _(
                    "No account is named exactly “%(entry)s”: choose one below, or type the whole name or number."
                )
                % words
            )
        return _("No account is found for “%(entry)s”: type the whole name or the mobile number.") % words


@dataclass
class Found:
    chosen: list[BankAccount] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def entries_of(text: str, *, multiple: bool) -> list[str]:
    """What was typed, one entry per account: several separated by commas (，、；) or lines when `multiple`."""
    parts = SEPARATORS.split(text) if multiple else [text]
    return [p.strip() for p in parts if p.strip()]


def _ids(picks: list[str]) -> list[int]:
    return [int(p) for p in picks if str(p).isdigit()][:50]


def resolve(
    pool: QuerySet[BankAccount], text: str, picks: list[str], *, multiple: bool, by_phone_end: bool
) -> Found:
    """The accounts a finder's `text` and ticked `picks` name, within `pool`, and the entries that name none or
    several. A tick stands for the entry whose suggestions it was among."""
    picked = list(pool.filter(pk__in=_ids(picks))) if picks else []
    entries = entries_of(text, multiple=multiple)
    found = Found()
    if not multiple:
        entries = entries[:1]
        if picked and (
            not entries
            or accounts_found(pool, entries[0], by_phone_end=by_phone_end).filter(pk=picked[0].pk).exists()
        ):
            return Found(chosen=picked[:1])
        picked = []
    found.chosen = list(picked)
    for entry in entries:
        if (
            picked
            and accounts_found(pool, entry, by_phone_end=by_phone_end)
            .filter(pk__in=[p.pk for p in picked])
            .exists()
        ):
            continue
        named = list(accounts_named(pool, entry)[: OPTIONS + 1])
        if len(named) == 1:
            found.chosen.append(named[0])
            continue
        options = named or list(accounts_found(pool, entry, by_phone_end=by_phone_end)[: OPTIONS + 1])
        found.problems.append(
            Problem(entry=entry, options=options[:OPTIONS], several=bool(named), more=len(options) > OPTIONS)
        )
    unique = {a.pk: a for a in found.chosen}
    found.chosen = list(unique.values())
    return found


class FinderWidget(forms.Widget):
    """The search box, the accounts chosen (ticked) and the suggestions under it."""

    template_name = "volunteers/widgets/finder.html"

    def __init__(self, *, multiple: bool, placeholder: Any = "") -> None:
        super().__init__()
        self.multiple = multiple
        self.placeholder = placeholder
        self.pool: QuerySet[BankAccount] = BankAccount.objects.none()
        self.shortcuts: QuerySet[BankAccount] = BankAccount.objects.none()
        self.url = ""
        self.by_phone_end = False
        self.show_balance = False

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, list[str]]:
        picks = data.getlist(f"{name}_pick") if hasattr(data, "getlist") else data.get(f"{name}_pick") or []
        return (str(data.get(name) or ""), [str(p) for p in picks])

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_pick" not in data

    def options_context(self, name: str, text: str, chosen: list[BankAccount]) -> dict[str, Any]:
        """The suggestions for the text as typed so far (its last entry when several): radio buttons or ticks."""
        entries = entries_of(text, multiple=self.multiple)
        last = entries[-1] if entries else ""
        rows = list(
            (accounts_found(self.pool, last, by_phone_end=self.by_phone_end) if last else self.shortcuts)[
                : OPTIONS + 1
            ]
        )
        taken = {a.pk for a in chosen}
        return {
            "name": name,
            "input_type": "checkbox" if self.multiple else "radio",
            "url": self.url,
            "searched": last,
            "groups": [{"entry": "", "options": [a for a in rows[:OPTIONS] if a.pk not in taken]}],
            "more": len(rows) > OPTIONS,
            "show_balance": self.show_balance,
        }

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        text, picks = value if isinstance(value, tuple) else ("", [])
        found = (
            resolve(self.pool, text, picks, multiple=self.multiple, by_phone_end=self.by_phone_end)
            if (text or picks)
            else Found()
        )
        chosen = [a for a in found.chosen if str(a.pk) in picks]  # shown ticked: what was chosen by hand
        options = self.options_context(name, text, chosen)
        if found.problems:  # the field's error says why; under the box, what each entry may mean
            options["groups"] = [{"entry": p.entry, "options": p.options} for p in found.problems]
            options["more"] = False
        elif text:
            options["groups"] = []  # all found by what was typed: nothing to choose
        context["finder"] = {
            **options,
            "text": text,
            "chosen": chosen,
            "placeholder": self.placeholder,
            "id": (attrs or {}).get("id") or f"id_{name}",
        }
        return context


class AccountFinder(forms.Field):
    """A form field naming one account (or several, `multiple`) by name or mobile number; `configure` gives it
    the accounts it may name (a scoped selector's), those offered before anything is typed, and the address of
    its suggestions."""

    widget = FinderWidget
    default_error_messages = {
        "required": gettext_lazy("Type a name or a mobile number, or choose an account."),
    }

    def __init__(self, *, multiple: bool = False, placeholder: Any = "", **kwargs: Any) -> None:
        self.multiple = multiple
        kwargs["widget"] = FinderWidget(multiple=multiple, placeholder=placeholder)
        super().__init__(**kwargs)

    def configure(
        self,
        *,
        pool: QuerySet[BankAccount],
        url: str,
        shortcuts: QuerySet[BankAccount] | None = None,
        by_phone_end: bool = False,
        show_balance: bool = False,
    ) -> None:
        widget = self.widget
        assert isinstance(widget, FinderWidget)
        widget.pool = pool.select_related("community", "volunteer")
        widget.url, widget.by_phone_end, widget.show_balance = url, by_phone_end, show_balance
        widget.shortcuts = shortcuts if shortcuts is not None else pool.none()

    def clean(self, value: Any) -> Any:
        widget = self.widget
        assert isinstance(widget, FinderWidget)
        text, picks = value if isinstance(value, tuple) else ("", [])
        found = resolve(widget.pool, text, picks, multiple=self.multiple, by_phone_end=widget.by_phone_end)
        if found.problems:
            raise forms.ValidationError([p.message for p in found.problems], code="not_found")
        if not found.chosen and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return found.chosen if self.multiple else (found.chosen[0] if found.chosen else None)


def finder_part(request: HttpRequest, form: forms.Form) -> HttpResponse:
    """The htmx answers of a form's finders, the form bound to the query: `?field=<name>` the suggestions for
    what is typed; with `picked=1` (a suggestion was chosen) the whole finder again, the choice ticked above an
    empty box (or, for several, the box less the entry just found)."""
    name = request.GET.get("field", "")
    bound = form.fields.get(name)
    if not isinstance(bound, AccountFinder):
        raise Http404
    widget = bound.widget
    assert isinstance(widget, FinderWidget)
    text, picks = widget.value_from_datadict(request.GET, {}, name)
    if request.GET.get("picked") or request.GET.get("redraw"):
        if request.GET.get("picked"):  # the entry being typed is found: the box keeps the others
            text = "，".join(entries_of(text, multiple=bound.multiple)[:-1])
        return HttpResponse(widget.render(name, (text, picks), attrs={"id": f"id_{name}"}))
    found = resolve(widget.pool, "", picks, multiple=bound.multiple, by_phone_end=widget.by_phone_end)
    options = widget.options_context(name, text, found.chosen)
    return HttpResponse(render_to_string("volunteers/widgets/finder_options.html", options, request=request))
