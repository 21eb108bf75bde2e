"""The three lists: needs from every source, resources, ranked suggestions, matches, projects."""

from __future__ import annotations

import pytest

from linli.cobuild import selectors, services
from linli.cobuild.choices import NeedState, ProjectState
from linli.cobuild.models import Need
from linli.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from .conftest import LAT, LNG, World, grid_visit, make_resource

pytestmark = pytest.mark.django_db


def need(world: World, **kw: object) -> Need:
    data: dict[str, object] = {
        "community": world.cast.community,
        "title": "楼道水管漏水",
        "category": "repair",
        "lng": LNG,
        "lat": LAT,
        "households": 6,
    }
    data.update(kw)
    return services.need_create(actor=world.cast.community_worker, **data)  # type: ignore[arg-type]


def test_matching_ranks_a_near_skilled_idle_provider_first(world: World) -> None:
    cast = world.cast
    busy_near = make_resource(cast, provider_name="忙碌的近邻", capacity=2)
    unskilled_near = make_resource(cast, provider_name="近但不会", skills="聊天")
    n = need(world, description="管道老化")
    # Load the busy one: one of its two places is taken by another need's match.
    other = need(world, title="另一处水管")
    services.match_confirm(actor=cast.community_worker, need=other, resource=busy_near)
    ranked = [s.resource.provider_name for s in selectors.suggestions_for(n)]
    assert ranked[0] == "赵师傅"  # near, skilled, idle
    assert ranked.index("赵师傅") < ranked.index("忙碌的近邻") < ranked.index("远方维修")
    assert ranked.index("赵师傅") < ranked.index(unskilled_near.provider_name)
    assert "爱心理发" not in ranked  # another category, no skill fits


def test_a_provider_at_full_capacity_is_not_suggested(world: World) -> None:
    full = make_resource(world.cast, provider_name="满负荷", capacity=1)
    services.match_confirm(actor=world.cast.community_worker, need=need(world, title="一"), resource=full)
    assert "满负荷" not in [
        s.resource.provider_name for s in selectors.suggestions_for(need(world, title="二"))
    ]


def test_urgency_weighs_distance_more(world: World) -> None:
    calm = {s.resource.pk: s.score for s in selectors.suggestions_for(need(world, urgency=1))}
    urgent = {s.resource.pk: s.score for s in selectors.suggestions_for(need(world, urgency=3))}
    assert (
        urgent[world.plumber.pk] - urgent[world.far_plumber.pk]
        > calm[world.plumber.pk] - calm[world.far_plumber.pk]
    )


def test_a_score_is_out_of_100_for_an_urgent_need_too(world: World) -> None:
    """A suggestion is scored out of 100 (docs/cobuild.md): an urgent need's nearest, skilled, idle provider of
    its category scored 105.5 in the demo before the urgency's weight was scaled back."""
    for urgency in (1, 2, 3):
        scores = [
            s.score for s in selectors.suggestions_for(need(world, urgency=urgency, description="管道老化"))
        ]
        assert max(scores) <= 100 and max(scores) > 95  # the plumber next door, skilled, idle


def test_confirming_a_match_needs_a_suggested_resource_and_a_worker(world: World) -> None:
    n = need(world)
    with pytest.raises(ValidationFailed):
        services.match_confirm(actor=world.cast.community_worker, need=n, resource=world.barber)
    with pytest.raises(NotFound):
        services.match_confirm(actor=world.cast.outsider, need=n, resource=world.plumber)
    m = services.match_confirm(actor=world.cast.community_worker, need=n, resource=world.plumber)
    assert m.distance_m is not None and m.distance_m < 10
    n.refresh_from_db()
    assert n.state == NeedState.MATCHED
    with pytest.raises(ValidationFailed):  # once
        services.match_confirm(actor=world.cast.community_worker, need=n, resource=world.plumber)


def test_a_resident_raises_a_need_in_their_community(world: World) -> None:
    n = services.need_raise(actor=world.cast.resident, title="希望小区装休息座椅", category="environment")
    assert n.community == world.cast.community and n.source == "resident" and n.lng is not None


def test_a_need_from_a_grid_visit(world: World) -> None:
    visit = grid_visit(world)
    n = services.need_from_visit(actor=world.cast.grid_worker, visit=visit, category="repair")
    assert n.source == "visit" and n.title == "换灯泡" and n.community == world.cast.community
    with pytest.raises(NotFound):
        services.need_from_visit(actor=world.cast.outsider, visit=visit, category="repair")


def test_staff_input_is_checked(world: World) -> None:
    with pytest.raises(ValidationFailed):
        need(world, category="nonsense")
    with pytest.raises(ValidationFailed):
        need(world, households=0)
    with pytest.raises(PermissionDenied):
        need(world, community=world.cast.other_community)
    with pytest.raises(PermissionDenied):
        services.need_create(
            actor=world.cast.resident, community=world.cast.community, title="x", category="repair"
        )
    with pytest.raises(ValidationFailed):
        make_resource(world.cast, kind="venue", opening_hours="")


def test_a_project_from_matches_and_its_progress_meets_the_needs(world: World) -> None:
    cw = world.cast.community_worker
    n = need(world)
    m = services.match_confirm(actor=cw, need=n, resource=world.plumber)
    project = services.project_create(
        actor=cw, community=world.cast.community, title="老旧水管更换", budget="3000", matches=[m]
    )
    with pytest.raises(ValidationFailed):  # a match is in one project
        services.project_create(
            actor=cw, community=world.cast.community, title="再来", budget="1", matches=[m]
        )
    services.project_progress(actor=cw, project=project, progress=40)
    with pytest.raises(ValidationFailed):
        services.project_progress(actor=cw, project=project, progress=20)
    project = services.project_progress(actor=cw, project=project, progress=100)
    assert project.state == ProjectState.DONE
    n.refresh_from_db()
    assert n.state == NeedState.MET
    with pytest.raises(Conflict):
        services.match_confirm(actor=cw, need=n, resource=world.far_plumber)
