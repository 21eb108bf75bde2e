"""The content security policy allows scripts only from Linli's own files ('self'): an inline event handler in a
template (onchange="this.form.submit()") is refused by the browser, and the control silently does nothing (the
fund page's community switcher did). Templates use data-autosubmit and the like instead (web/static/web/site.js)."""

from __future__ import annotations

import re
from pathlib import Path

import linli

INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I | re.S)


def test_no_template_has_an_inline_event_handler() -> None:
    root = Path(linli.__file__).resolve().parent
    found = [
        str(path.relative_to(root))
        for path in sorted(root.rglob("templates/**/*.html"))
        if INLINE_HANDLER.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
