"""A hall text typed too long is refused whole, the field and its limit named, never cut; a reason typed beside a
button comes back to its field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.core.errors import ValidationFailed
from linli.deliberation import services
from linli.deliberation.models import Comment, Report
from linli.testing import signed_in
from linli.testing.kept import kept_input, limit_given

from .conftest import Hall

REASON = "这条内容是重复发布的商业广告，与本社区事务无关，" * 9  # 216 characters: over the 200 allowed
REPLY = "同意楼上的意见。" * 130  # 1040 characters: over the 1000 a reply may have


def test_a_report_reason_too_long_is_refused_and_given_back_to_its_field(hall: Hall) -> None:
    topic = services.topic_create(actor=hall.residents[0], title="楼下广告", body="有人在群里发广告")
    client = signed_in(hall.residents[1])
    limit_given(client, reverse("deliberation:topic", args=[topic.pk]), "reason", 200)
    back = client.post(
        reverse("deliberation:report", args=["topic", topic.pk]), {"reason": REASON}, follow=True
    )
    assert back.redirect_chain[-1][0] == reverse("deliberation:topic", args=[topic.pk])
    text = back.content.decode()
    assert "举报理由太长：最多 200 个字（您已输入 216 个字）" in text
    assert kept_input(text) == {"reason": REASON}
    assert not Report.objects.exists()
    with pytest.raises(ValidationFailed, match="原因太长：最多 200 个字（您已输入 216 个字）"):
        services.content_report(actor=hall.residents[1], topic=topic, reason=REASON)


def test_a_reply_too_long_is_refused_and_its_text_comes_back_to_the_reply_it_was_typed_in(hall: Hall) -> None:
    topic = services.topic_create(actor=hall.residents[0], title="停车", body="晚上车位不够")
    first = services.comment_add(actor=hall.residents[2], topic=topic, body="建议错峰停车")
    client = signed_in(hall.residents[1])
    page = client.post(reverse("deliberation:comment", args=[topic.pk]), {"body": REPLY, "parent": first.pk})
    text = page.content.decode()
    assert page.status_code == 422 and "太长：最多 1000 个字（您已输入 1040 个字）" in text
    assert kept_input(text) == {
        "body": REPLY,
        "parent": str(first.pk),
    }  # for the reply under the first comment
    assert Comment.objects.count() == 1
