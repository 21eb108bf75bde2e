"""A small demo run built once for the tests of a module (see linli.testing.shared): the small district (scale 0.05,
seed 11) and the parts those tests build on, each test starting from a copy of it and rolling back its writes."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from linli.core.snapshots import snapshots_forget
from linli.demo.parts import DemoPart, DemoRun
from linli.demo.territory import demo_build
from linli.testing.shared import refuse_unasked, shared_build


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


SMALL_RUN = "small_run"


def small_run_fixtures(*parts: DemoPart) -> tuple[Any, Any, Any]:
    """The fixtures of a module whose tests share one small run with `parts` built on it, to bind at its top as
    `small_run, run, _only_where_asked = small_run_fixtures(...)`: the run built once (module scope), a test's
    `run` (a copy; its writes rolled back, its uploads in its own folder), and a guard failing a test that uses the
    database without asking for the run (it would see it)."""

    @pytest.fixture(scope="module", name=SMALL_RUN)
    def built(
        django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
    ) -> Iterator[DemoRun]:
        yield from shared_run(django_db_blocker, tmp_path_factory, SMALL_RUN, *parts)

    @pytest.fixture(name="run")
    def run(small_run: DemoRun, db: None, settings: Any, tmp_path: Path) -> Iterator[DemoRun]:
        settings.MEDIA_ROOT = tmp_path
        yield from run_copy(small_run)

    @pytest.fixture(autouse=True)
    def guard(request: pytest.FixtureRequest) -> None:
        refuse_unasked(request, SMALL_RUN)

    return built, run, guard
