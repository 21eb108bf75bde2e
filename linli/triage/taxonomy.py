"""The category taxonomy as triage reads it: first levels, the 问政 crosswalk, and folding probabilities into them.

`linli/appeals/data/taxonomy.json` is the default taxonomy (13 first-level categories, 78 second-level ones, codes
`<parent>.<child>`); `data/wenzheng_crosswalk.json` says under which of the seven 问政 first-level categories each
second-level one is filed (docs/triage.md, *Taxonomy*).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

PACKAGE_DIR = Path(__file__).resolve().parent
TAXONOMY_FILE = PACKAGE_DIR.parent / "appeals" / "data" / "taxonomy.json"
CROSSWALK_FILE = PACKAGE_DIR / "data" / "wenzheng_crosswalk.json"


def parent_code(code: str) -> str:
    """``urban_construction.road_works`` → ``urban_construction``; a code without a dot is its own parent."""
    return code.split(".", 1)[0]


@cache
def taxonomy() -> list[dict[str, Any]]:
    return list(json.loads(TAXONOMY_FILE.read_text(encoding="utf-8")))


@cache
def first_level_of() -> dict[str, dict[str, str]]:
    """second-level code (and first-level code) → {"code": first-level code, "name": first-level name}."""
    out: dict[str, dict[str, str]] = {}
    for top in taxonomy():
        entry = {"code": top["code"], "name": top["name"]}
        out[top["code"]] = entry
        for child in top.get("children", []):
            out[child["code"]] = entry
    return out


@cache
def crosswalk() -> dict[str, str]:
    """Second-level code → the one of the seven 问政 first-level names that provincial platforms file it under."""
    data: dict[str, str] = json.loads(CROSSWALK_FILE.read_text(encoding="utf-8"))
    return data


def first_level_name(code: str) -> str:
    entry = first_level_of().get(code)
    return entry["name"] if entry else code


def aggregate(proba: np.ndarray, classes: Sequence[str], target_labels: Sequence[str]) -> np.ndarray:
    """Fold second-level probabilities into the given first-level labels (names or codes).

    A class counts towards its own first-level category when that category is among the labels; otherwise
    towards the 问政 category the crosswalk files it under, when that one is among the labels; else nowhere.
    """
    index = {label: i for i, label in enumerate(target_labels)}
    walk = crosswalk()
    columns = np.zeros((len(classes), len(target_labels)), dtype=np.float64)
    for ci, code in enumerate(classes):
        top = first_level_of().get(code)
        for candidate in (top and top["name"], top and top["code"], walk.get(code)):
            if candidate and candidate in index:
                columns[ci, index[candidate]] = 1.0
                break
    return np.asarray(proba @ columns)
