"""What a page fills in again after a refused form (core.kept; web/site.js puts it in the form), read as a test
would check it."""

from __future__ import annotations

import json
import re
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
