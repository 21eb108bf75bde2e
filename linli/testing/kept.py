"""What a page fills in again after a refused form (core.kept; web/site.js puts it in the form), read as a test
would check it."""

from __future__ import annotations

import json
import re


def kept_input(page: str) -> dict[str, str]:
    """The texts the page gives back to the form they were typed in, by field name ({} when none)."""
    found = re.search(r'<script id="kept-input" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))["fields"] if found else {}
