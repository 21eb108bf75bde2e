"""Finds the translatable strings in Linli's code and templates, and which lack a Simplified Chinese translation.

Used by a test (every string must be translated) and by `linli missing_translations` while writing code.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
from django.conf import settings

_GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop"}
_TPL = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])((?:\\.|(?!\1).)*)\1""")
_BLOCK = re.compile(r"\{%\s*blocktrans(?:late)?\b([^%]*)%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _python_msgids(text: str) -> list[str]:
    """The first argument of every gettext call in a module, read by Python's own parser: a string written over
    several lines ("…" "…", implicitly joined) is one msgid, as xgettext and Django read it."""
    found = []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        first = node.args[0]
        if name in _GETTEXT and isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.append(first.value)
    return found


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
            for python_msgid in _python_msgids(text):
                found.setdefault(python_msgid, str(path))
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
