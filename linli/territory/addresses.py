"""Normalising Chinese address text so that differently written addresses of one building match."""

from __future__ import annotations

import re
import unicodedata

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUM_RE = re.compile(r"[零〇一二两三四五六七八九十百]+")
_BUILDING_WORDS = re.compile(r"(号楼|号院|栋|幢|座|楼)")
_DROP = re.compile(r"[\s,，。.、·\-—_()（）#]")


def chinese_to_int(text: str) -> int:
    """ "十二" → 12, "二十三" → 23, "一百零五" → 105, "三" → 3."""
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _CN_DIGITS[ch] if ch in _CN_DIGITS else current
    return total + current


def normalize_address(text: str) -> str:
    """A key for matching: half-width, no spaces or punctuation, Chinese numerals as digits, one word for building."""
    s = unicodedata.normalize("NFKC", text or "").strip().lower()
    s = _CN_NUM_RE.sub(lambda m: str(chinese_to_int(m.group(0))), s)
    s = _DROP.sub("", s)
    s = _BUILDING_WORDS.sub("号楼", s)
    s = s.replace("号号楼", "号楼")
    for prefix in ("中国", "中华人民共和国"):
        if s.startswith(prefix):
            s = s[len(prefix) :]
    return s
