"""Text a user typed (a grid's, a road's or a place's name, a label) reaches the maps as text, never as HTML.

Leaflet's bindTooltip, bindPopup and setContent insert a string as HTML; an element is inserted as it is. So every
call in every script of every app hands them an element: one built with `asText(...)` (a span whose textContent is
the value) or one assembled from createElement/textContent (a popup box). A string argument fails this test."""

from __future__ import annotations

import re
from pathlib import Path

import linli

ROOT = Path(linli.__file__).parent
CALL = re.compile(r"\.(bindTooltip|bindPopup|setContent)\(\s*")
# What may be handed to Leaflet: asText(value), or the element-building helpers and variables the scripts define.
SAFE = re.compile(r"(asText\(|box\)|popup\(el, p\)|function \(\) \{ return popupFor\()")


def _scripts() -> list[Path]:
    return [
        p for p in ROOT.glob("*/static/**/*.js") if "vendor" not in p.parts and not p.name.endswith(".min.js")
    ]


def test_every_map_tooltip_and_popup_is_given_an_element_not_html() -> None:
    offending = []
    for script in _scripts():
        text = script.read_text(encoding="utf-8")
        for match in CALL.finditer(text):
            argument = text[match.end() : match.end() + 60]
            if not SAFE.match(argument):
                line = text.count("\n", 0, match.start()) + 1
                offending.append(
                    f"{script.relative_to(ROOT)}:{line}: .{match.group(1)}({argument.split(chr(10))[0]}"
                )
    assert offending == []


def test_as_text_sets_text_content_in_every_script_that_uses_it() -> None:
    """One asText, in site.js (loaded on every page before the map scripts), sets textContent; a script that uses
    asText defines it the same way or takes site.js's."""
    site = (ROOT / "web/static/web/site.js").read_text(encoding="utf-8")
    assert re.search(r"Linli\.asText = function \(\w+\) \{[^}]*\.textContent = ", site)
    users = 0
    for script in _scripts():
        text = script.read_text(encoding="utf-8")
        if "asText(" in text and script.name != "site.js":
            users += 1
            assert "var asText = window.Linli.asText;" in text or re.search(
                r"function asText\(\w+\) \{[^}]*\.textContent = ", text
            ), script
    assert users >= 4  # the grid map, the report form's map and its nearby pins, the overview's map
