"""业主共同决定 (Civil Code art. 278): the arithmetic of an owners' vote, counted by owners and by floor area.

- Participation: owners holding at least two thirds of the exclusive floor area AND at least two thirds of the
  owners take part (参与表决).
- Approval, items 6–8 (raising or using maintenance funds, rebuilding, changing the use of common parts): at
  least three quarters of the participating area AND of the participating owners agree.
- Approval, every other matter: more than half of the participating area AND of the participating owners agree.

Art. 1259: 以上 includes the number itself (exactly two thirds takes part; exactly three quarters approves);
过半数 does not (exactly half does not approve). Everything is compared in integers (area in hundredths of a
square metre), so no rounding can move a vote across a line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


def _hundredths(area: Decimal | int) -> int:
    return int((Decimal(area) * 100).to_integral_value())


def at_least(part: int, whole: int, num: int, den: int) -> bool:
    """part / whole ≥ num / den (以上: the line itself counts)."""
    return part * den >= whole * num


def more_than(part: int, whole: int, num: int, den: int) -> bool:
    """part / whole > num / den (过半数: the line itself does not count)."""
    return part * den > whole * num


@dataclass(frozen=True)
class OwnersOutcome:
    participation_by_owners: bool
    participation_by_area: bool
    approval_by_owners: bool
    approval_by_area: bool

    @property
    def participation(self) -> bool:
        return self.participation_by_owners and self.participation_by_area

    @property
    def approval(self) -> bool:
        return self.approval_by_owners and self.approval_by_area

    @property
    def passed(self) -> bool:
        return self.participation and self.approval


def owners_outcome(
    *,
    total_owners: int,
    total_area: Decimal | int,
    voting_owners: int,
    voting_area: Decimal | int,
    agreeing_owners: int,
    agreeing_area: Decimal | int,
    special: bool,
) -> OwnersOutcome:
    """Whether an owners' vote passes under art. 278 (see the module's docstring for the rules)."""
    total_a, voting_a, agree_a = _hundredths(total_area), _hundredths(voting_area), _hundredths(agreeing_area)
    if total_owners <= 0 or total_a <= 0:
        return OwnersOutcome(False, False, False, False)
    by_owners_ok = at_least(voting_owners, total_owners, 2, 3)
    by_area_ok = at_least(voting_a, total_a, 2, 3)
    if voting_owners == 0 or voting_a == 0:
        return OwnersOutcome(by_owners_ok, by_area_ok, False, False)
    if special:
        return OwnersOutcome(
            by_owners_ok,
            by_area_ok,
            at_least(agreeing_owners, voting_owners, 3, 4),
            at_least(agree_a, voting_a, 3, 4),
        )
    return OwnersOutcome(
        by_owners_ok,
        by_area_ok,
        more_than(agreeing_owners, voting_owners, 1, 2),
        more_than(agree_a, voting_a, 1, 2),
    )
