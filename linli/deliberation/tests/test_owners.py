"""业主共同决定: the art. 278 arithmetic on its edges (以上 includes the line, 过半数 does not)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from linli.deliberation.owners import owners_outcome


def outcome(
    voting: int,
    voting_area: str,
    agree: int,
    agree_area: str,
    *,
    special: bool = False,
    total: int = 9,
    total_area: str = "900",
):
    return owners_outcome(
        total_owners=total,
        total_area=Decimal(total_area),
        voting_owners=voting,
        voting_area=Decimal(voting_area),
        agreeing_owners=agree,
        agreeing_area=Decimal(agree_area),
        special=special,
    )


def test_exactly_two_thirds_taking_part_is_enough() -> None:
    result = outcome(6, "600", 4, "400")
    assert result.participation_by_owners and result.participation_by_area
    assert result.passed


def test_one_owner_short_of_two_thirds_fails_participation_whatever_the_agreement() -> None:
    result = outcome(5, "800", 5, "800")
    assert not result.participation_by_owners
    assert result.participation_by_area
    assert not result.passed


def test_area_a_hundredth_of_a_square_metre_short_of_two_thirds_fails() -> None:
    assert not outcome(6, "599.99", 6, "599.99").participation_by_area


def test_exactly_half_of_the_participants_does_not_carry_an_ordinary_matter() -> None:
    result = outcome(6, "600", 3, "300")
    assert not result.approval_by_owners and not result.approval_by_area
    assert not result.passed


def test_more_than_half_by_count_but_exactly_half_by_area_fails() -> None:
    result = outcome(6, "600", 4, "300")
    assert result.approval_by_owners
    assert not result.approval_by_area
    assert not result.passed


def test_exactly_three_quarters_carries_a_special_matter() -> None:
    result = outcome(8, "800", 6, "600", special=True)
    assert result.approval_by_owners and result.approval_by_area and result.passed


def test_just_under_three_quarters_fails_a_special_matter_that_would_pass_as_ordinary() -> None:
    assert not outcome(8, "800", 5, "500", special=True).passed
    assert outcome(8, "800", 5, "500").passed


@pytest.mark.parametrize("total, total_area", [(0, "0"), (5, "0")])
def test_an_empty_register_never_passes(total: int, total_area: str) -> None:
    assert not outcome(0, "0", 0, "0", total=total, total_area=total_area).passed
