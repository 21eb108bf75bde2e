"""Finding a person (an account, a party member …) by name or phone in a search box, where a drop-down of everyone
of an area (hundreds of people) would be: one finder for every app, each giving it what differs (`Finder`): the
rows it may name (`configure(pool=…)`, a scoped selector's), their name and phone fields (looked up through
core.lookup), whether several may be chosen, how a suggestion is shown (`row`), its words (`Wording`: members,
accounts) and, when nothing is found, why a person the reader knows is not among them (`explain`).

A search box offers what it may mean as one types (htmx asks `finder_part`), each suggestion a radio button (or a
tick box, for several) to choose; a choice redraws the finder with it ticked above an emptied box. Without
JavaScript the box is resolved when the form is sent: a whole mobile number, or a whole name only one row carries,
is that row; nothing found, or several carrying the name, comes back with a message in Chinese and the rows to
choose from, everything typed kept. A choice made stands while the text still finds it, so a box whose text was
changed afterwards is read again rather than overruled by an old tick.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string

from .lookup import people_found, people_named

OPTIONS = 8  # suggestions shown at once; more asks for more of the name
SEPARATORS = re.compile(r"[,，、;；\n]+")
Row = Callable[
    [Any], tuple[str, str]
]  # a suggestion as shown: the name, and what tells two of one name apart


@dataclass(frozen=True)
class Wording:
    """What a finder says, in the words of what it finds. Messages about an entry take %(entry)s (and %(n)s, the
    rows of its name); `nothing` takes %(text)s, the text typed so far."""

    many_named: Any  # more rows carry the name than are shown
    several_named: Any  # %(n)s rows carry the name: choose one
    type_more: Any  # none carries it exactly, more than shown contain it
    choose: Any  # none carries it exactly, some contain it: choose one
    none: Any  # nothing found for the entry
    required: Any  # nothing typed nor chosen
    more: Any  # under the suggestions: more match than shown
    nothing: Any  # under the box: nothing found for %(text)s


@dataclass(frozen=True)
class Problem:
    """An entry that names no row, or several: the message, and the rows to choose from."""

    entry: str
    options: list[Any]
    several: bool
    more: bool
    wording: Wording
    reason: str = ""  # why a row named exactly is not among those the finder may name

    @property
    def message(self) -> str:
        if self.reason:
            return self.reason
        w = self.wording
        words = {"entry": self.entry, "n": len(self.options)}
        if self.several:
            return str(w.many_named if self.more else w.several_named) % words
        if self.more:
            return str(w.type_more) % words
        return str(w.choose if self.options else w.none) % words


@dataclass
class Found:
    chosen: list[Any] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def entries_of(text: str, *, multiple: bool) -> list[str]:
    """What was typed, one entry per row: several separated by commas (，、；) or lines when `multiple`."""
    parts = SEPARATORS.split(text) if multiple else [text]
    return [p.strip() for p in parts if p.strip()]


def _ids(picks: list[str]) -> list[int]:
    return [int(p) for p in picks if str(p).isdigit()][:50]


class FinderWidget(forms.Widget):
    """The search box, the rows chosen (ticked) above it and the suggestions under it, styled by core/forms.css
    (`.finder`, `.finder-option` …) wherever it is."""

    template_name = "core/finder.html"

    def __init__(
        self,
        *,
        multiple: bool,
        names: Sequence[str],
        phone: str,
        wording: Wording,
        placeholder: Any,
    ) -> None:
        super().__init__()
        self.multiple, self.names, self.phone, self.wording = multiple, names, phone, wording
        self.placeholder = placeholder
        self.pool: QuerySet[Any] | None = None
        self.shortcuts: QuerySet[Any] | None = None
        self.url = ""
        self.by_phone_end = False
        self.row: Row = lambda obj: (str(obj), "")
        self.explain: Callable[[str], str] = lambda entry: ""

    def found(self, text: str) -> QuerySet[Any]:
        assert self.pool is not None, "configure the finder first"
        return people_found(
            self.pool, text, names=self.names, phone=self.phone, by_phone_end=self.by_phone_end
        )

    def named(self, text: str) -> QuerySet[Any]:
        assert self.pool is not None, "configure the finder first"
        return people_named(self.pool, text, names=self.names, phone=self.phone)

    def resolve(self, text: str, picks: list[str]) -> Found:
        """The rows `text` and the ticked `picks` name, within the pool, and the entries that name none or
        several. A tick stands for the entry whose suggestions it was among."""
        assert self.pool is not None, "configure the finder first"
        picked = list(self.pool.filter(pk__in=_ids(picks))) if picks else []
        entries = entries_of(text, multiple=self.multiple)
        if not self.multiple:
            entries = entries[:1]
            if picked and (not entries or self.found(entries[0]).filter(pk=picked[0].pk).exists()):
                return Found(chosen=picked[:1])
            picked = []
        found = Found(chosen=list(picked))
        for entry in entries:
            if picked and self.found(entry).filter(pk__in=[p.pk for p in picked]).exists():
                continue
            named = list(self.named(entry)[: OPTIONS + 1])
            if len(named) == 1:
                found.chosen.append(named[0])
                continue
            options = named or list(self.found(entry)[: OPTIONS + 1])
            found.problems.append(
                Problem(
                    entry=entry,
                    options=options[:OPTIONS],
                    several=bool(named),
                    more=len(options) > OPTIONS,
                    wording=self.wording,
                    reason="" if options else self.explain(entry),
                )
            )
        found.chosen = list({row.pk: row for row in found.chosen}.values())
        return found

    def rows(self, objs: list[Any]) -> list[dict[str, Any]]:
        return [dict(zip(("name", "details"), self.row(obj), strict=True), pk=obj.pk) for obj in objs]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, list[str]]:
        picks = data.getlist(f"{name}_pick") if hasattr(data, "getlist") else data.get(f"{name}_pick") or []
        picks = picks if isinstance(picks, list) else [picks]
        return (str(data.get(name) or ""), [str(p) for p in picks])

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_pick" not in data

    def options_context(self, name: str, text: str, chosen: list[Any]) -> dict[str, Any]:
        """The suggestions for the text as typed so far (its last entry when several): radio buttons or ticks."""
        entries = entries_of(text, multiple=self.multiple)
        last = entries[-1] if entries else ""
        offered = self.found(last) if last else self.shortcuts
        rows = list(offered[: OPTIONS + 1]) if offered is not None else []
        taken = {row.pk for row in chosen}
        return {
            "name": name,
            "input_type": "checkbox" if self.multiple else "radio",
            "url": self.url,
            "searched": last,
            "nothing": str(self.wording.nothing) % {"text": last} if last else "",
            "more_text": str(self.wording.more),
            "groups": [{"entry": "", "options": self.rows([r for r in rows[:OPTIONS] if r.pk not in taken])}],
            "more": len(rows) > OPTIONS,
        }

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        text, picks = value if isinstance(value, tuple) else ("", [])
        found = self.resolve(text, picks) if (text or picks) else Found()
        chosen = [
            row for row in found.chosen if str(row.pk) in picks
        ]  # shown ticked: what was chosen by hand
        options = self.options_context(name, text, chosen)
        if found.problems:  # the field's error says why; under the box, what each entry may mean
            options["groups"] = [{"entry": p.entry, "options": self.rows(p.options)} for p in found.problems]
            options["more"] = False
        elif text:
            options["groups"] = []  # all found by what was typed: nothing to choose
        context["finder"] = {
            **options,
            "text": text,
            "chosen": self.rows(chosen),
            "placeholder": self.placeholder,
            "id": (attrs or {}).get("id") or f"id_{name}",
        }
        return context


class Finder(forms.Field):
    """A form field naming one row (or several, `multiple`) by name or phone: `names` and `phone` are the fields
    core.lookup searches, `wording` what it says. `configure` gives it the rows it may name, those offered before
    anything is typed, the address of its suggestions and how a row is shown."""

    widget = FinderWidget
    widget_class: type[FinderWidget] = (
        FinderWidget  # a finder reading more than names and phones gives its own
    )

    def __init__(
        self,
        *,
        names: Sequence[str],
        phone: str,
        wording: Wording,
        multiple: bool = False,
        placeholder: Any = "",
        **kwargs: Any,
    ) -> None:
        self.multiple = multiple
        kwargs["widget"] = self.widget_class(
            multiple=multiple, names=names, phone=phone, wording=wording, placeholder=placeholder
        )
        super().__init__(**kwargs)
        self.error_messages["required"] = wording.required

    @property
    def finder(self) -> FinderWidget:
        widget = self.widget
        assert isinstance(widget, FinderWidget)
        return widget

    def configure[M: Model](
        self,
        *,
        pool: QuerySet[M],
        url: str,
        row: Callable[[M], tuple[str, str]],
        shortcuts: QuerySet[M] | None = None,
        by_phone_end: bool = False,
        explain: Callable[[str], str] | None = None,
    ) -> None:
        """`by_phone_end`: staff may type the last four digits of a number; `explain(entry)`: why nobody is found
        for an entry when the reader knows someone of that name ("" when there is nothing to say)."""
        widget = self.finder
        widget.pool, widget.url, widget.row, widget.by_phone_end = pool, url, row, by_phone_end
        widget.shortcuts = shortcuts
        if explain is not None:
            widget.explain = explain

    def clean(self, value: Any) -> Any:
        text, picks = value if isinstance(value, tuple) else ("", [])
        found = self.finder.resolve(text, picks)
        if found.problems:
            raise forms.ValidationError([p.message for p in found.problems], code="not_found")
        if not found.chosen and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return found.chosen if self.multiple else (found.chosen[0] if found.chosen else None)


def finder_part(request: HttpRequest, form: forms.Form) -> HttpResponse:
    """The htmx answers of a form's finders, the form bound to the query: `?field=<name>` (or the form's only
    finder) the suggestions for what is typed; with `picked=1` (a suggestion was chosen) the whole finder again,
    the choice ticked above an empty box (or, for several, the box less the entry just found)."""
    finders = [name for name, f in form.fields.items() if isinstance(f, Finder)]
    name = request.GET.get("field") or (finders[0] if len(finders) == 1 else "")
    bound = form.fields.get(name)
    if not isinstance(bound, Finder):
        raise Http404
    widget = bound.finder
    text, picks = widget.value_from_datadict(request.GET, {}, name)
    if request.GET.get("picked") or request.GET.get("redraw"):
        if request.GET.get("picked"):  # the entry being typed is found: the box keeps the others
            text = "，".join(entries_of(text, multiple=bound.multiple)[:-1])
        return HttpResponse(widget.render(name, (text, picks), attrs={"id": f"id_{name}"}))
    chosen = widget.resolve("", picks).chosen
    options = widget.options_context(name, text, chosen)
    return HttpResponse(render_to_string("core/finder_options.html", options, request=request))
