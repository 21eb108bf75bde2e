"""Masked exports of care and mediation (CSV, opened by Excel): names, phones and addresses masked as in every
list (core.masking), nothing of health or the parties' words; each export is written to the audit log with the
number of rows and the filter."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

from linli.core.audit import audit_record
from linli.core.masking import mask_address, mask_name, mask_phone
from linli.core.scoping import Viewer
from linli.core.templatetags.money import money

from . import selectors

KINDS = ("plans", "cases", "legal_aid")


def _plans(user: Viewer) -> Iterable[list[Any]]:
    yield ["编号", "姓名", "三色码", "网格", "住址", "探访人", "复评日期", "紧急联系人电话"]
    plans = selectors.plans_visible_to(user).order_by("grid__name", "level", "id")
    visitors = selectors.grid_visitors(plans.filter(caregiver=None).values_list("grid_id", flat=True))
    for p in plans:
        household = p.resident.household
        yield [
            p.pk,
            mask_name(p.resident.name),
            p.get_level_display(),
            p.grid.name,
            mask_address(household.address) if household else "",
            str(p.caregiver or visitors.get(p.grid_id) or ""),
            p.reassess_on.isoformat(),
            mask_phone(p.emergency_phone),
        ]


def _cases(user: Viewer) -> Iterable[list[Any]]:
    yield [
        "案号",
        "纠纷类型",
        "来源",
        "网格",
        "状态",
        "结果",
        "当事人",
        "调解员",
        "专业人员",
        "挽回金额",
        "登记日期",
    ]
    qs = selectors.cases_visible_to(user).prefetch_related("parties").order_by("-created_at", "-id")
    for c in qs:
        yield [
            c.number,
            c.get_kind_display(),
            c.get_source_display(),
            c.grid.name,
            c.get_state_display(),
            c.get_outcome_display() if c.outcome else "",
            "、".join(mask_name(p.name) for p in c.parties.all()),
            str(c.mediator or ""),
            c.get_professional_kind_display() if c.professional_kind else "",
            money(c.amount_recovered),
            c.created_at.date().isoformat(),
        ]


def _legal(user: Viewer) -> Iterable[list[Any]]:
    yield ["编号", "申请人", "电话", "事项", "经济困难", "状态", "律师", "结果", "挽回金额", "申请日期"]
    for a in selectors.legal_aid_visible_to(user).order_by("-created_at", "-id"):
        yield [
            a.number,
            mask_name(a.applicant_name),
            mask_phone(a.applicant_phone),
            a.get_matter_display(),
            "是" if a.low_income else "否",
            a.get_state_display(),
            a.lawyer.name if a.lawyer else "",
            a.get_outcome_display() if a.outcome else "",
            money(a.amount_recovered),
            a.created_at.date().isoformat(),
        ]


def export_csv(user: Viewer, kind: str) -> HttpResponse:
    """One kind of care records the reader may see, masked, as a CSV download; the export is audited."""
    rows = {"plans": _plans, "cases": _cases, "legal_aid": _legal}[kind](user)
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese text correctly only with a BOM
    writer = csv.writer(buf)
    count = -1
    for row in rows:
        writer.writerow(row)
        count += 1
    audit_record(actor=user, action="care_export", object_type=f"care.{kind}", detail={"rows": count})
    response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="care-{kind}.csv"'
    return response
