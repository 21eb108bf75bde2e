"""A small demo run built once for the tests of a module (see linli.testing.shared): the small district (scale 0.05,
seed 11) and the parts those tests build on, each test starting from a copy of it and rolling back its writes."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from linli.core.snapshots import snapshots_forget
from linli.demo.parts import DemoPart, DemoRun
from linli.demo.territory import demo_build
from linli.testing.shared import shared_build


def small_run(*parts: DemoPart) -> DemoRun:
    """A quiet run over the small district with `parts` built on it, in order."""
    demo = DemoRun(scale=0.05, seed=11, say=lambda _line: None)
    demo.district = demo_build(scale=0.05, seed=11)
    for part in parts:
        part(demo)
    return demo


def shared_run(
    django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory, name: str, *parts: DemoPart
) -> Iterator[DemoRun]:
    """`small_run(*parts)` for a module-scoped fixture `name`; uploads go to a temporary folder."""
    media = tmp_path_factory.mktemp(name)

    def build() -> DemoRun:
        with override_settings(MEDIA_ROOT=media):
            return small_run(*parts)

    yield from shared_build(django_db_blocker, build, name)


def run_copy(built: DemoRun) -> Iterator[DemoRun]:
    """For a test's own `run`: a copy of the shared run (a part may change the objects it reads)."""
    snapshots_forget()
    yield copy.deepcopy(built)
    snapshots_forget()
