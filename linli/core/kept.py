"""What a person typed into a form that was refused after it was sent, kept for the page they are sent back to.

A form that is not a Django form on its page (a reason typed beside a button, a note in a table row) posts to an
action's address; when the service refuses it (a text too long, a reason missing), `core.pages` says why and
sends the person back to the page. `keep_posted(request)` puts the texts of that post in the session, under the
address it was posted to; the page shown next takes them out once (`kept_for_page`) and the server puts them back
into the form posted to that address (`fill_kept_form`, by `{% refill_kept %}` of `core.kept` tags around
web/base.html's main), so nothing typed is lost, with or without a script; `{% kept_input %}` gives them to
web/site.js too, which fills them in only where the server could not. A page shown
again in answer to the refused post itself (at the action's address, as appeals' pages do) carries what that post
typed the same way."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.http import HttpRequest

SESSION_KEY = "linli_kept_input"
# Not kept: the form's machinery, and anything secret.
SKIPPED = {"csrfmiddlewaretoken", "next", "idempotency_key"}  # and any field whose name says "password"
MOST_CHARACTERS = 20_000  # more than every limited text of a form together


def posted_texts(request: HttpRequest) -> dict[str, Any] | None:
    """The texts `request` posted, with the address they were posted to, or None when it posted none."""
    if request.method != "POST":
        return None
    fields: dict[str, str] = {}
    total = 0
    for name, values in request.POST.lists():
        if name in SKIPPED or "password" in name or len(values) != 1 or not values[0].strip():
            continue
        total += len(values[0])
        if total > MOST_CHARACTERS:
            return None
        fields[name] = values[0]
    return {"action": request.path, "fields": fields} if fields else None


def keep_posted(request: HttpRequest) -> None:
    """Keep the texts `request` posted (when it is a form's post) for the page shown next."""
    kept = posted_texts(request)
    if kept is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = kept


def take_kept(request: HttpRequest) -> dict[str, Any] | None:
    """What to fill in again on this page: when the page answers a post (a refused form shown again at the address
    it was posted to: a page answering a post that was taken redirects), what that post typed; else what a refused
    post kept for the page it was sent back to, taken out of the session (shown once)."""
    if request.method == "POST":
        return posted_texts(request)
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return None
    kept = session.pop(SESSION_KEY)
    return kept if isinstance(kept, dict) else None


_PAGE_ATTR = "_linli_kept"
# Inputs that take no typed text: what site.js would not fill in either (and a button keeps its own value).
_NOT_TYPED = {"hidden", "checkbox", "radio", "file", "password", "submit", "button", "reset", "image"}
_SELECTED_ATTR = re.compile(r"""\sselected(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?""", re.I)
_VALUE_ATTR = re.compile(r"""\svalue(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?""", re.I)


def kept_for_page(request: HttpRequest) -> dict[str, Any] | None:
    """`take_kept`, once for the page being rendered: the server fills the form in (`fill_kept_form`) and
    `{% kept_input %}` gives the same texts to site.js."""
    if not hasattr(request, _PAGE_ATTR):
        setattr(request, _PAGE_ATTR, take_kept(request))
    kept: dict[str, Any] | None = getattr(request, _PAGE_ATTR)
    return kept


class _Forms(HTMLParser):
    """The post forms of a page with the places of their fields in its text, for `fill_kept_form`."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lines = [0] + [found.end() for found in re.finditer("\n", html)]  # as getpos() counts lines
        self.forms: list[dict[str, Any]] = []
        self.form: dict[str, Any] | None = None
        self.details: list[tuple[int, str]] = []  # the <details> the parser is inside: where, start tag
        self.textarea: dict[str, Any] | None = None
        self.select: dict[str, Any] | None = None  # the <select> whose options the parser is reading

    def _here(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {key: value or "" for key, value in attrs}
        raw = self.get_starttag_text() or ""
        start = self._here()
        if tag == "details":
            self.details.append((start, raw))
        elif tag == "form" and named.get("method", "").lower() == "post":
            self.form = {"action": named.get("action", ""), "targets": [], "hidden": {}, "fields": []}
            self.forms.append(self.form)
        if self.form is None:
            return
        if "formaction" in named:
            self.form["targets"].append(named["formaction"])
        if tag == "option" and self.select is not None:
            self.select["options"].append({"start": start, "raw": raw, "value": named.get("value")})
            return
        name = named.get("name")
        if not name or tag not in {"input", "textarea", "select"}:
            return
        if tag == "select":  # a choice: put back by marking its option selected
            if "multiple" not in named:
                self.select = {"name": name, "kind": "select", "options": [], "details": self.details[-1:]}
                self.form["fields"].append(self.select)
            return
        kind = named.get("type", "text").lower() if tag == "input" else "textarea"
        if kind == "hidden":
            self.form["hidden"].setdefault(name, named.get("value", ""))
            return
        field = {"name": name, "kind": kind, "start": start, "raw": raw, "details": self.details[-1:]}
        self.form["fields"].append(field)
        if tag == "textarea":
            field["body"] = start + len(raw)
            self.textarea = field

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "details" and self.details:
            self.details.pop()
        elif tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.textarea["end"] = self._here()
            self.textarea = None


def _posts_to(form: dict[str, Any], path: str, here: str) -> bool:
    """The form is posted to `path`: its action (the page's own address when it has none), or a formaction."""
    targets = [form["action"] or here, *form["targets"]]
    return any(urlsplit(urljoin(here, target)).path == path for target in targets)


def _with_attribute(tag: str, attribute: str) -> str:
    end = len(tag) - 2 if tag.endswith("/>") else len(tag) - 1
    return f"{tag[:end].rstrip()} {attribute}{tag[end:]}"


def fill_kept_form(html: str, kept: dict[str, Any], here: str) -> tuple[str, bool]:
    """`html` with what a refused form had typed (`kept`, from `kept_for_page`) put back into that form's fields,
    as the browser would show it with no script: the first post form sent to the kept address whose hidden fields
    hold what was sent (of several forms posted to one address, a reply under each comment, the one it came
    from), its texts in their inputs' value and textareas' bodies, its choices as their <select>'s selected option
    (when still offered), and the <details> folding it opened. `here` is
    the page's address (a form with no action posts to it). Says whether a form was filled."""
    fields: dict[str, str] = kept.get("fields") or {}
    parser = _Forms(html)
    parser.feed(html)
    parser.close()
    for form in parser.forms:
        if not _posts_to(form, kept.get("action", ""), here):
            continue
        if any(fields.get(name, value) != value for name, value in form["hidden"].items()):
            continue
        edits: list[tuple[int, int, str]] = []
        seen: set[str] = set()
        for field in form["fields"]:
            name = field["name"]
            if name not in fields or name in seen or field["kind"] in _NOT_TYPED:
                continue
            seen.add(name)
            value = fields[name]
            first = not edits
            if field["kind"] == "select":
                if not any(option["value"] == value for option in field["options"]):
                    continue  # no longer offered: the page's own choice stands
                for option in field["options"]:
                    tag = _SELECTED_ATTR.sub("", option["raw"])
                    if option["value"] == value:
                        tag = _with_attribute(tag, "selected")
                    edits.append((option["start"], option["start"] + len(option["raw"]), tag))
            elif field["kind"] == "textarea":
                if "end" in field:
                    edits.append((field["body"], field["end"], "\n" + escape(value)))
            else:
                tag = _with_attribute(_VALUE_ATTR.sub("", field["raw"]), f'value="{escape(value)}"')
                edits.append((field["start"], field["start"] + len(field["raw"]), tag))
            folded = field["details"]
            if first and edits and folded and not re.search(r"\sopen\b", folded[0][1], re.I):
                start, raw = folded[0]
                edits.append((start, start + len(raw), _with_attribute(raw, "open")))
        if not edits:
            continue
        for start, end, text in sorted(edits, reverse=True):
            html = html[:start] + text + html[end:]
        return html, True
    return html, False
