"""Labelled examples and the files they come from: the starter corpus shipped with Linli and any labelled CSV.

A CSV is read as UTF-8 (with or without BOM) or else GB18030, comma- or tab-separated (a 问政 export is often
either); `starter_examples` reads `data/starter_corpus.csv` (docs/triage.md, *The starter corpus*).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
STARTER_CORPUS = DATA_DIR / "starter_corpus.csv"


def read_csv_rows(path: Path | str) -> tuple[list[dict[str, str]], str]:
    """All rows of a CSV as dicts, decoded as UTF-8 (with or without BOM) or else GB18030."""
    raw = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            content = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise UnicodeDecodeError("gb18030", raw, 0, 1, "undecodable")
    header = content.split("\n", 1)[0]
    dialect: Any = csv.excel_tab if header.count("\t") > header.count(",") else csv.excel
    reader = csv.DictReader(io.StringIO(content, newline=""), dialect=dialect)
    rows = [{(k or "").strip(): _cell(v) for k, v in row.items() if k is not None} for row in reader]
    return rows, encoding


def _cell(value: str | list[str] | None) -> str:
    if isinstance(value, list):  # a row with more cells than the header has names
        return ",".join(value).strip()
    return (value or "").strip()


@dataclass
class Example:
    title: str
    text: str
    label: str
    weight: float = 1.0


def starter_examples() -> list[Example]:
    rows, _enc = read_csv_rows(STARTER_CORPUS)
    return [Example(r.get("title", ""), r.get("text", ""), r["category"]) for r in rows if r.get("category")]
