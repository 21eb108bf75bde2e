"""每月一题 for a grid worker: a candidate of their compound groups appeals of several grids, and the worker opens
only their own grid's. The candidate's list linked every one, and the others were a 404 page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from linli.appeals.jobs import JOBS
from linli.appeals.models import TopicCandidate
from linli.appeals.tests.factories import submit
from linli.testing import Cast, make_neighbour, signed_in

pytestmark = pytest.mark.django_db

LAMPS = [
    "3号楼楼道灯又坏了，晚上黑漆漆的",
    "楼道灯坏了好几天没人修，3号楼晚上很黑",
    "3号楼2单元楼道灯不亮，老人上下楼害怕",
    "我们3号楼的楼道灯坏了，晚上走路很黑",
]


def test_a_candidate_links_only_the_appeals_the_grid_worker_opens(cast: Cast) -> None:
    neighbour = make_neighbour(cast)
    with time_machine.travel(timezone.now() - dt.timedelta(days=2)):
        for text in LAMPS[:3]:
            submit(cast, title=text[:12], description=text + "，请尽快处理。")
        theirs = submit(
            cast, title=LAMPS[3][:12], description=LAMPS[3] + "，请尽快处理。", grid=neighbour.grid
        )
    JOBS["appeals.topics"]()
    candidate = TopicCandidate.objects.get()
    assert theirs in candidate.appeals.all()
    c = signed_in(cast.grid_worker)
    html = c.get("/appeals/topics/").content.decode()
    linked = {int(pk) for pk in re.findall(r'href="/appeals/(\d+)/"', html)}
    assert linked == {a.pk for a in candidate.appeals.all() if a.pk != theirs.pk}
    assert c.get(f"/appeals/{theirs.pk}/").status_code == 404
