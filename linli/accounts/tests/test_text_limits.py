"""An account text typed too long is refused whole, the field and its limit named, never cut; a reason typed beside
a button comes back to its field."""

from __future__ import annotations

from typing import Any

import pytest

from linli.accounts import services
from linli.accounts.models import HouseholdClaim
from linli.core.errors import ValidationFailed
from linli.testing import Cast
from linli.testing.kept import field_shows, kept_input, limit_given

from .test_views import _claim

REASON = (
    "户籍登记中查无此人，请携带户口簿到社区服务站核对后重新认领。" * 7
)  # 210 characters: over the 200 allowed


def test_the_claim_form_refuses_a_pasted_address_too_long_and_shows_all_of_it_again(
    cast: Cast, client_for: Any
) -> None:
    resident = client_for("resident")
    limit_given(resident, "/accounts/resident/me/", "address", 200)
    address = "和平路一号院1号楼" * 23  # 207 characters: over the 200 allowed
    page = _claim(resident, address=address).content.decode()
    assert "太长：最多 200 个字（您已输入 207 个字）" in page
    assert f'value="{address}"' in page
    assert not HouseholdClaim.objects.exists()


def test_a_rejection_reason_too_long_is_refused_whole_and_given_back(cast: Cast, client_for: Any) -> None:
    _claim(client_for("resident"))
    claim = HouseholdClaim.objects.get(account=cast.resident)
    worker = client_for("community_worker")
    limit_given(worker, "/accounts/verifications/", "reason", 200)
    back = worker.post(f"/accounts/verifications/{claim.pk}/reject/", {"reason": REASON}, follow=True)
    text = back.content.decode()
    assert "原因太长：最多 200 个字（您已输入 210 个字）" in text
    assert kept_input(text) == {"reason": REASON}
    action = f"/accounts/verifications/{claim.pk}/reject/"
    assert field_shows(text, action, "reason") == REASON  # back in its field with no script
    assert '"filled": true' in text  # so site.js leaves it
    claim.refresh_from_db()
    assert claim.status == "pending" and claim.reason == ""
    with pytest.raises(ValidationFailed, match="原因太长：最多 200 个字（您已输入 210 个字）"):
        services.household_claim_reject(actor=cast.community_worker, claim=claim, reason=REASON)
    claim.refresh_from_db()
    assert claim.status == "pending"
