"""Finds the translatable strings in Linli's code and templates, and which lack a Simplified Chinese translation.

Used by a test (every string must be translated) and by `linli missing_translations` while writing code.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import polib
from django.conf import settings

_PY = re.compile(r"""\b(?:_|gettext|gettext_lazy|gettext_noop)\(\s*(["'])((?:\\.|(?!\1).)*)\1\s*[,)]""", re.S)
_TPL = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])((?:\\.|(?!\1).)*)\1""")
_BLOCK = re.compile(r"\{%\s*blocktrans(?:late)?\b([^%]*)%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _unescape(literal: str) -> str:
    """The value of a Python string literal's body: escapes decoded, other characters left as they are."""
    if "\\" not in literal:
        return literal
    return re.sub(
        r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|n|t|\\|'|\")",
        lambda m: codecs.decode("\\" + m.group(1), "unicode_escape"),
        literal,
    )


def _block_msgid(opts: str, body: str) -> str | None:
    if re.search(r"\bcount\b\s+\w+\s*=", opts) or "plural" in body:
        return None
    # Django doubles a literal % of template text before the lookup (TranslateNode and BlockTranslateNode), so the
    # catalogue's msgid must hold it doubled too: "Progress (%%)".
    msgid = re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", body.replace("%", "%%"))
    if "trimmed" in opts:
        msgid = " ".join(line.strip() for line in msgid.strip().splitlines() if line.strip())
    return msgid


def source_msgids(root: Path | None = None) -> dict[str, str]:
    """msgid → first file that uses it."""
    root = root or Path(settings.BASE_DIR)
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if "migrations" in path.parts or "tests" in path.parts or "static" in path.parts:
            continue
        if path.suffix == ".py":
            text = path.read_text(encoding="utf-8")
            for m in _PY.finditer(text):
                found.setdefault(_unescape(m.group(2)), str(path))
        elif path.suffix in {".html", ".txt"} and "templates" in path.parts:
            text = path.read_text(encoding="utf-8")
            for m in _TPL.finditer(text):
                found.setdefault(m.group(2).replace("%", "%%"), str(path))
            for m in _BLOCK.finditer(text):
                msgid = _block_msgid(m.group(1), m.group(2))
                if msgid:
                    found.setdefault(msgid, str(path))
    return {k: v for k, v in found.items() if k and not _CJK.search(k)}


def translated_msgids(lang: str = "zh_Hans") -> set[str]:
    out: set[str] = set()
    for po_path in Path(settings.BASE_DIR).rglob(f"locale/*/{lang}/LC_MESSAGES/django.po"):
        out.update(e.msgid for e in polib.pofile(str(po_path)).translated_entries())
    return out


def missing_translations(lang: str = "zh_Hans") -> dict[str, str]:
    have = translated_msgids(lang)
    return {k: v for k, v in source_msgids().items() if k not in have}
