"""The branch's self-assessment (自评) of its star rating, as the services take it: the secretary submits the
stars the branch claims with a statement and notes, the street approves with the stars it grants or returns it
with a reason, and the secretary submits again. Each refusal (wrong person, wrong state, bad input) says why."""

from __future__ import annotations

import pytest
from django.utils import timezone

from linli.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.party import services
from linli.party.choices import StarState
from linli.party.models import BranchStarRating
from linli.testing import Cast

from .helpers import Branch

pytestmark = pytest.mark.django_db


def _computed(world: Branch) -> BranchStarRating:
    return services.branch_stars_compute(
        actor=world.secretary, branch=world.branch, year=timezone.localdate().year
    )


def _submit(world: Branch, rating: BranchStarRating, claimed: int = 3, **kw: object) -> BranchStarRating:
    values: dict[str, object] = {"statement": "全年开展主题党日 12 次，党员带头参与楼道整治。", **kw}
    return services.branch_stars_submit(
        actor=world.secretary,
        rating=rating,
        claimed_stars=claimed,
        **values,  # type: ignore[arg-type]
    )


def test_the_secretary_submits_and_the_street_approves_the_claim(cast: Cast, world: Branch) -> None:
    rating = _computed(world)
    assert rating.state == StarState.COMPUTED and rating.claimed_stars is None
    rating = _submit(world, rating, 3, notes={"meetings": "  另有 2 次党课在社区党委合办  ", "active": ""})
    assert rating.state == StarState.SUBMITTED
    assert rating.claimed_stars == 3 and rating.submitted_by == world.secretary
    assert rating.claim_notes == {
        "meetings": "另有 2 次党课在社区党委合办"
    }  # empty notes dropped, text tidied
    assert rating.stars == rating.computed_stars  # the standing stars stay the computed ones until approval
    event = AuditEntry.objects.get(action="party.branch_stars_submit")
    assert event.actor_id == world.secretary.pk
    assert (event.detail["from"], event.detail["to"]) == ("computed", "submitted")
    approved = services.branch_stars_approve(actor=cast.street_officer, rating=rating)
    assert approved.state == StarState.APPROVED and approved.stars == 3  # granted what was claimed
    assert approved.approved_by == cast.street_officer and approved.claimed_stars == 3
    assert AuditEntry.objects.get(action="party.branch_stars_approve").detail["from"] == "submitted"


def test_the_street_grants_other_stars_only_saying_why(cast: Cast, world: Branch) -> None:
    rating = _submit(world, _computed(world), 4)
    with pytest.raises(ValidationFailed, match="审定星级（2 星）与申报星级（4 星）不同") as refused:
        services.branch_stars_approve(actor=cast.street_officer, rating=rating, stars=2)
    assert refused.value.extra["field"] == "note"
    with pytest.raises(ValidationFailed, match="无星或一至五星"):
        services.branch_stars_approve(actor=cast.street_officer, rating=rating, stars=6, note="x")
    rating.refresh_from_db()
    assert rating.state == StarState.SUBMITTED  # nothing changed by the refusals
    approved = services.branch_stars_approve(
        actor=cast.street_officer, rating=rating, stars=2, note="三会一课记录不全，按两星审定"
    )
    assert (approved.stars, approved.claimed_stars, approved.review_note) == (
        2,
        4,
        "三会一课记录不全，按两星审定",
    )
    assert approved.computed_stars == rating.computed_stars


def test_returned_the_branch_submits_again_and_the_reason_stays(cast: Cast, world: Branch) -> None:
    rating = _submit(world, _computed(world), 5)
    returned = services.branch_stars_return(
        actor=cast.street_officer, rating=rating, reason="五星需附党建品牌项目材料，请补充后再报"
    )
    assert returned.state == StarState.RETURNED and returned.returned_at is not None
    assert returned.return_reason == "五星需附党建品牌项目材料，请补充后再报"
    assert AuditEntry.objects.get(action="party.branch_stars_return").detail["to"] == "returned"
    again = _submit(world, returned, 4, statement="按街道意见调整为四星，补充了“朝阳护学”项目材料。")
    assert again.state == StarState.SUBMITTED and again.claimed_stars == 4
    assert again.return_reason  # the street sees it was returned once, and why
    assert services.branch_stars_approve(actor=cast.street_officer, rating=again).stars == 4


def test_the_street_cannot_approve_a_branch_that_has_not_assessed_itself(cast: Cast, world: Branch) -> None:
    rating = _computed(world)
    for stars, note in ((None, ""), (rating.computed_stars, ""), (5, "材料齐全")):
        with pytest.raises(InvalidTransition) as refused:
            services.branch_stars_approve(actor=cast.street_officer, rating=rating, stars=stars, note=note)
        assert str(refused.value.message) == (
            "支部尚未自评，街道只审定支部提交的自评。请先提醒支部完成自评。"
        )
    rating.refresh_from_db()
    assert rating.state == StarState.COMPUTED and rating.approved_at is None
    assert not AuditEntry.objects.filter(action="party.branch_stars_approve").exists()
    # Once the secretary has submitted, the same approval goes through.
    approved = services.branch_stars_approve(actor=cast.street_officer, rating=_submit(world, rating, 2))
    assert approved.state == StarState.APPROVED and approved.stars == 2


def test_computing_again_keeps_the_self_assessment(cast: Cast, world: Branch) -> None:
    rating = _submit(world, _computed(world), 2)
    again = services.branch_stars_compute(actor=cast.community_worker, branch=world.branch, year=rating.year)
    assert again.pk == rating.pk and again.state == StarState.SUBMITTED and again.claimed_stars == 2


def test_only_the_branch_leaders_submit_and_only_the_street_reviews(cast: Cast, world: Branch) -> None:
    rating = _computed(world)
    for staff in (cast.community_worker, cast.street_officer):
        with pytest.raises(PermissionDenied, match="只有本支部的书记或副书记可以提交支部自评"):
            services.branch_stars_submit(actor=staff, rating=rating, claimed_stars=1, statement="代填")
    with pytest.raises(ValidationFailed, match="管辖范围"):  # a plain member of another branch
        services.branch_stars_submit(actor=world.plain, rating=rating, claimed_stars=1, statement="x")
    rating = _submit(world, rating)
    # The secretary does not review their own branch: the street's ratings are outside a resident's area.
    with pytest.raises(ValidationFailed, match="管辖范围"):
        services.branch_stars_approve(actor=world.secretary, rating=rating)
    with pytest.raises(ValidationFailed, match="管辖范围"):
        services.branch_stars_return(actor=world.secretary, rating=rating, reason="自己退回")
    with pytest.raises(PermissionDenied, match="党支部星级只能由街道审定"):
        services.branch_stars_approve(actor=cast.community_worker, rating=rating)
    with pytest.raises(PermissionDenied, match="只有街道可以退回支部自评"):
        services.branch_stars_return(actor=cast.community_worker, rating=rating, reason="x")
    with pytest.raises(ValidationFailed, match="管辖范围"):  # the other community's worker
        services.branch_stars_return(actor=cast.outsider, rating=rating, reason="x")
    rating.refresh_from_db()
    assert rating.state == StarState.SUBMITTED


def test_each_state_refuses_what_it_does_not_allow(cast: Cast, world: Branch) -> None:
    street = cast.street_officer
    rating = _computed(world)
    with pytest.raises(InvalidTransition, match="只有已提交的支部自评可以退回"):
        services.branch_stars_return(actor=street, rating=rating, reason="x")
    rating = _submit(world, rating)
    with pytest.raises(InvalidTransition, match="已提交街道，请等待审定"):
        _submit(world, rating)
    rating = services.branch_stars_return(actor=street, rating=rating, reason="请补充材料")
    with pytest.raises(InvalidTransition, match="已退回修改"):
        services.branch_stars_approve(actor=street, rating=rating)
    with pytest.raises(InvalidTransition, match="已退回修改"):
        services.branch_stars_return(actor=street, rating=rating, reason="再退")
    rating = services.branch_stars_approve(actor=street, rating=_submit(world, rating))
    with pytest.raises(InvalidTransition, match="街道已审定该星级，不能再修改"):
        _submit(world, rating)
    with pytest.raises(InvalidTransition, match="不能再修改"):
        services.branch_stars_return(actor=street, rating=rating, reason="x")
    with pytest.raises(InvalidTransition):
        services.branch_stars_approve(actor=street, rating=rating)
    with pytest.raises(InvalidTransition):
        services.branch_stars_compute(actor=cast.community_worker, branch=world.branch, year=rating.year)


def test_a_stale_copy_cannot_move_a_rating_that_moved_meanwhile(cast: Cast, world: Branch) -> None:
    rating = _submit(world, _computed(world))
    stale = BranchStarRating.objects.get(pk=rating.pk)
    services.branch_stars_approve(actor=cast.street_officer, rating=rating)
    assert stale.state == StarState.SUBMITTED  # the copy in hand still says submitted
    with pytest.raises(InvalidTransition, match="不能再修改"):
        services.branch_stars_return(actor=cast.street_officer, rating=stale, reason="晚了一步")
    assert BranchStarRating.objects.get(pk=rating.pk).state == StarState.APPROVED


@pytest.mark.parametrize(
    ("claimed", "values", "field", "message"),
    [
        (6, {}, "claimed_stars", "请选择支部自评星级：无星或一至五星。"),
        (-1, {}, "claimed_stars", "请选择支部自评星级：无星或一至五星。"),
        (True, {}, "claimed_stars", "请选择支部自评星级：无星或一至五星。"),
        (3, {"statement": "   "}, "statement", "请简要说明支部自评该星级的理由（不超过 300 字）。"),
        (3, {"statement": "长" * 301}, "statement", "请简要说明支部自评该星级的理由（不超过 300 字）。"),
        (3, {"notes": {"nonsense": "x"}}, "notes", "未知指标：nonsense"),
        (3, {"notes": {"meetings": "长" * 301}}, "note_meetings", "的说明超过了 300 字。"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    world: Branch, claimed: int, values: dict[str, object], field: str, message: str
) -> None:
    rating = _computed(world)
    with pytest.raises(ValidationFailed) as refused:
        _submit(world, rating, claimed, **values)
    assert refused.value.extra["field"] == field and message in str(refused.value.message)
    rating.refresh_from_db()
    assert rating.state == StarState.COMPUTED


def test_returning_needs_a_reason(cast: Cast, world: Branch) -> None:
    rating = _submit(world, _computed(world))
    for reason in ("", "  ", "长" * 201):
        with pytest.raises(ValidationFailed, match="请写明退回理由"):
            services.branch_stars_return(actor=cast.street_officer, rating=rating, reason=reason)


def test_each_state_has_its_colour_declared_with_it() -> None:
    assert StarState("computed").colour == "#d9a400"
    assert StarState("submitted").colour == "#2f6fb5"
    assert StarState("returned").colour == "#d23c3c"
    assert StarState("approved").colour == "#2e9d5b"
    assert set(services.STAR_TRANSITIONS) == set(StarState.values)
