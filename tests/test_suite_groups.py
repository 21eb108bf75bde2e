"""The suite's shared set-ups stay on one worker. Modules that build costly data once (linli.testing.shared: a whole
demo district) mark their tests `xdist_group`, and `make test` runs `--dist loadgroup`, which sends a group to one
worker. pytest-xdist tells a test's group by a suffix on its node id; pytest 9.2 builds node ids another way and
dropped it, so for as long as it was pinned the groups were split and each worker built every shared demo again (the
whole demo's two builds of 45 s where one of 21 s will do)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.xdist_group("suite_groups")


def test_a_grouped_test_is_known_by_its_group_when_the_suite_runs_by_groups(
    request: pytest.FixtureRequest,
) -> None:
    by_groups = bool(getattr(request.config.option, "loadgroup", False))
    assert not by_groups or request.node.nodeid.endswith("@suite_groups"), request.node.nodeid
