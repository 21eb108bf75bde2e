"""What a page fills in again after a refused form (core.kept: the server puts it back in the form, and gives it to
web/site.js), read as a test would check it."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any


def kept_input(page: str) -> dict[str, str]:
    """The texts the page gives back to the form they were typed in, by field name ({} when none)."""
    found = re.search(r'<script id="kept-input" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))["fields"] if found else {}


def limit_given(client: Any, url: str, field: str, limit: int) -> str:
    """The page at `url` (opened with `client`), checked to give the limit of its text `field` to the browser as
    data-max (web/site.js's counter), with no maxlength to cut what is pasted."""
    page = client.get(url).content.decode()
    tag = re.search(rf'<(?:input|textarea)\b[^>]*\bname="{re.escape(field)}"[^>]*>', page)
    assert tag, f"no text field {field} on {url}"
    assert f'data-max="{limit}"' in tag.group(0) and "maxlength" not in tag.group(0), tag.group(0)
    return page


class _Fields(HTMLParser):
    """The text fields of a page's post forms as the browser shows them with no script: by form address, name."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown: dict[tuple[str, str], str] = {}
        self.action = ""
        self.open: tuple[str, str] | None = None  # the textarea being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.action = named.get("action", "")
        elif tag == "input" and named.get("name"):
            self.shown.setdefault((self.action, named["name"]), named.get("value", ""))
        elif tag == "textarea" and named.get("name") and (self.action, named["name"]) not in self.shown:
            self.open = (self.action, named["name"])
            self.shown[self.open] = ""

    def handle_data(self, data: str) -> None:
        if self.open is not None:
            self.shown[self.open] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self.open is not None:
            self.shown[self.open] = self.shown[self.open].removeprefix("\n")  # as the browser drops it
            self.open = None


def field_shows(page: str, action: str, name: str) -> str:
    """What the field `name` of the (first) form posted to `action` shows with no script: an input's value, a
    textarea's text."""
    fields = _Fields()
    fields.feed(page)
    assert (action, name) in fields.shown, f"no field {name} in a form posted to {action}"
    return fields.shown[(action, name)]
