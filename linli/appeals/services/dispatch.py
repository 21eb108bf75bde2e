"""Where an appeal goes: dispatch by a person, return by the unit, escalation one tier up, and the reference data
routing reads (the category taxonomy and the versioned dispatch catalogue).

Every unit a write names (a department, an org node) is looked up through the same scoping selectors the pages
use (selectors.organisations_for / unit_nodes_for): one outside the actor's reach is not found.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.errors import NotFound, ValidationFailed
from linli.core.snapshots import bump
from linli.territory.models import Grid, Organisation, OrgNode
from linli.territory.selectors import grids_visible_to

from .. import notify, routing, sla, transitions
from ..choices import AppealState, CatalogueStatus, Channel, Tier
from ..models import Appeal, CatalogueEntry, CatalogueVersion, Category
from ..permissions import Actor, signed_in_user
from ..selectors import organisations_for, unit_nodes_for
from ..validation import DESCRIPTION_MIN, NOTE_MAX, clean_text, field_error

TAXONOMY_PATH = Path(__file__).resolve().parent.parent / "data" / "taxonomy.json"


def unit_assign(
    row: Appeal,
    *,
    actor: Actor,
    tier: str,
    unit_node: OrgNode | None,
    unit_org: Organisation | None,
    version: CatalogueVersion | None = None,
    reason: str = "",
    channel: str = "",
    now: dt.datetime | None = None,
    action: str = "dispatch",
    extra: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> Appeal:
    """Give the locked `row` to a unit at `tier` with fresh deadlines (dispatch, escalate or rework); `data` adds
    to what its trace step records."""
    now = now or timezone.now()
    target = transitions.target_of(row, action)
    row.tier = tier
    deadlines = sla.deadlines_for(row, now, tier=tier)
    changes: dict[str, Any] = {
        "tier": tier,
        "unit_node": unit_node,
        "unit_org": unit_org,
        "dispatched_at": now,
        "acknowledged_at": None,
        "clock_started_at": now,
        **deadlines.as_fields(),
        **(extra or {}),
    }
    if version is not None:
        changes["catalogue_version"] = version
    if not row.org_path:
        node = unit_node or (unit_org.org_node if unit_org is not None else None)
        if node is not None:
            changes["org_path"] = node.path
    row.unit_node, row.unit_org = unit_node, unit_org
    transitions.apply(
        row,
        actor=actor,
        action=action,
        target=target,
        changes=changes,
        reason=reason,
        channel=channel,
        now=now,
        data={"tier": tier, "unit": row.unit_name, **(data or {})},
    )
    notify.notify_staff(
        notify.unit_staff(row), row, gettext_lazy("New work order %(number)s: %(title)s"), title=row.title
    )
    if action == "dispatch":
        notify.notify_residents(row, gettext_lazy("passed to %(unit)s"), unit=row.unit_name)
    return row


def desk_assign(row: Appeal, *, tier: str, node: OrgNode, now: dt.datetime) -> Appeal:
    """Place a new appeal the catalogue could not route (no category or no place) at the triage desk of `node`
    (待分拨/待定位): the desk's unit answers for it, with the standard acceptance deadline, until it dispatches."""
    target = transitions.target_of(row, "triage")
    row.tier, row.unit_node, row.unit_org = tier, node, None
    changes: dict[str, Any] = {
        "tier": tier,
        "unit_node": node,
        "unit_org": None,
        "clock_started_at": now,
        **sla.deadlines_for(row, now, tier=tier).as_fields(),
    }
    if not row.org_path:
        changes["org_path"] = node.path
    transitions.apply(
        row,
        actor=None,
        action="triage",
        target=target,
        changes=changes,
        channel=Channel.SYSTEM,
        now=now,
        data={"tier": tier, "unit": row.unit_name},
    )
    notify.notify_staff(
        notify.unit_staff(row),
        row,
        gettext_lazy("New appeal at your triage desk: %(number)s: %(title)s"),
        title=row.title,
    )
    return row


def _grid_within_reach(actor: Actor, grid_code: str) -> Grid:
    """The grid a person places an appeal in, as their scope finds it (the system may name any)."""
    qs = grids_visible_to(actor) if actor is not None else Grid.objects.select_related("org_node")
    found = qs.filter(code=grid_code.strip()).first()
    if found is None:
        raise field_error("grid_code", _("Unknown grid code."))
    return found


def _within_reach(
    actor: Actor, row: Appeal, unit_node: OrgNode | None, unit_org: Organisation | None
) -> tuple[OrgNode | None, Organisation | None]:
    """The named units as the actor's scope finds them (the system may name any)."""
    if actor is None:
        return unit_node, unit_org
    if unit_org is not None:
        unit_org = organisations_for(actor).filter(pk=unit_org.pk).first()
        if unit_org is None:
            raise NotFound(_("No such department within your reach."), code="unit_not_found")
    if unit_node is not None:
        unit_node = unit_nodes_for(actor, row).filter(pk=unit_node.pk).first()
        if unit_node is None:
            raise NotFound(_("No such unit within your reach."), code="unit_not_found")
    return unit_node, unit_org


def _resolve_unit(
    row: Appeal, *, tier: str = "", unit_node: OrgNode | None = None, unit_org: Organisation | None = None
) -> tuple[str, OrgNode | None, Organisation | None]:
    if unit_org is not None:
        return Tier.DEPARTMENT, None, unit_org
    if unit_node is not None:
        if tier == Tier.GRID:
            if row.grid is None or row.grid.org_node_id != unit_node.pk:
                raise field_error("tier", _("Only an appeal placed in a grid can go to its grid worker."))
            return Tier.GRID, unit_node, None
        return routing.tier_of_node(unit_node), unit_node, None
    if tier:
        if tier == Tier.DEPARTMENT:
            raise field_error("unit_org", _("Choose the department."))
        used, node = routing.unit_for_tier(tier, grid=row.grid, node=row.unit_node)
        if node is None:
            raise field_error("tier", _("This appeal has no place, so choose the unit itself."))
        return used, node, None
    raise field_error("unit", _("Choose where the appeal goes."))


def category_label_record(actor: Actor, row: Appeal, category: Category, source: str = "correction") -> None:
    """A person's category choice teaches the classifier (when the triage app offers it)."""
    try:
        from linli.triage.services import labelled_example_record
    except ImportError:
        return
    labelled_example_record(
        actor=signed_in_user(actor),
        title=row.title,
        text=row.description,
        category_code=category.code,
        source=source,
    )


def appeal_dispatch(
    *,
    actor: Actor,
    appeal: Appeal,
    tier: str = "",
    unit_node: OrgNode | None = None,
    unit_org: Organisation | None = None,
    category_code: str = "",
    grid_code: str = "",
    reason: str = "",
    channel: str = Channel.WEB,
) -> Appeal:
    """A person dispatches an accepted appeal (triage: placing it in a grid and classifying it on the way), re-
    dispatches a returned one (the tier above), or the district passes one it holds to a department."""
    reason = clean_text("reason", reason, required=False, maximum=NOTE_MAX)
    with transaction.atomic():
        row, _target = transitions.lock_for(actor, appeal, "dispatch")
        placed: dict[str, Any] = {}
        if grid_code.strip():
            grid = _grid_within_reach(actor, grid_code)
            row.grid, row.org_path = grid, grid.org_node.path
            placed = {"grid": grid, "org_path": grid.org_node.path}
            if row.lng is None:
                placed.update(lng=grid.centroid_lng, lat=grid.centroid_lat)
        unit_node, unit_org = _within_reach(actor, row, unit_node, unit_org)
        if category_code:
            category = Category.objects.filter(code=category_code, active=True).first()
            if category is None:
                raise field_error("category_code", _("Unknown category."))
            if category.pk != row.category_id:
                category_label_record(actor, row, category)
                row.category = category
                Appeal.objects.filter(pk=row.pk).update(category=category, updated_at=timezone.now())
        if row.category_id is None:
            raise field_error("category_code", _("Choose a category first."))
        new_tier, node, org = _resolve_unit(row, tier=tier, unit_node=unit_node, unit_org=unit_org)
        same_unit = (node, org) == (row.unit_node, row.unit_org) and new_tier == row.tier
        if row.state == AppealState.RETURNED and same_unit and not reason:
            raise field_error(
                "reason", _("The unit returned this appeal; say why it must handle it after all.")
            )
        return unit_assign(
            row,
            actor=actor,
            tier=new_tier,
            unit_node=node,
            unit_org=org,
            reason=reason,
            channel=channel,
            version=routing.active_catalogue(),
            extra=placed,
        )


def appeal_return(*, actor: Actor, appeal: Appeal, reason: str, channel: str = Channel.WEB) -> Appeal:
    """The unit says it is the wrong unit; the tier above re-dispatches."""
    reason = clean_text("reason", reason, required=True, maximum=NOTE_MAX, minimum=DESCRIPTION_MIN)
    with transaction.atomic():
        row = transitions.step(
            actor,
            appeal,
            "return",
            changes=lambda row, now: {"return_count": row.return_count + 1},
            reason=reason,
            channel=channel,
        )
        notify.notify_staff(
            notify.supervisors(row),
            row,
            gettext_lazy("%(unit)s returned %(number)s: %(reason)s"),
            unit=row.unit_name,
            reason=reason,
        )
        notify.notify_residents(row, gettext_lazy("being passed to the unit responsible"))
        return row


def appeal_escalate(
    *, actor: Actor, appeal: Appeal, reason: str, automatic: bool = False, channel: str = Channel.WEB
) -> Appeal:
    """Pass the appeal one tier up (by its handler, the tier above, or automatically on a breach)."""
    reason = clean_text("reason", reason, required=True, maximum=NOTE_MAX)
    with transaction.atomic():
        row, _target = transitions.lock_for(actor, appeal, "escalate")
        tier, node = routing.tier_above(row.tier or Tier.GRID, grid=row.grid, node=row.unit_node)
        if node is None:
            raise field_error("tier", _("This appeal is already at the top tier."))
        unit_assign(
            row,
            actor=actor,
            tier=tier,
            unit_node=node,
            unit_org=None,
            reason=reason,
            channel=Channel.SYSTEM if automatic else channel,
            action="escalate",
            extra={"escalation_count": row.escalation_count + 1},
        )
        notify.notify_residents(row, gettext_lazy("taken up by %(unit)s"), unit=row.unit_name)
        return row


# --- the reference data routing reads ------------------------------------------------------------------------


@transaction.atomic
def category_sync_defaults(path: Path | None = None) -> int:
    """Create or update the shipped taxonomy (idempotent; admin edits to names are overwritten only for shipped
    codes, and categories added in the admin are left alone). Returns the number of categories created.

    The shipped categories are read at once and only those that differ from the file are written, so a run
    that changes nothing (every start, every demo build) costs one read and leaves the routing caches alone."""
    data = json.loads((path or TAXONOMY_PATH).read_text(encoding="utf-8"))
    codes = [top["code"] for top in data] + [c["code"] for top in data for c in top.get("children", [])]
    stored = {c.code: c for c in Category.objects.filter(code__in=codes)}
    created = changed = 0

    def sync(entry: dict[str, Any], parent: Category | None, position: int) -> Category:
        nonlocal created, changed
        wanted = {
            "name": entry["name"],
            "name_en": entry.get("name_en", ""),
            "parent": parent,
            "position": position,
        }
        row = stored.get(entry["code"])
        if row is not None and (row.name, row.name_en, row.parent_id, row.position) == (
            wanted["name"],
            wanted["name_en"],
            parent.pk if parent is not None else None,
            position,
        ):
            return row
        row, was_created = Category.objects.update_or_create(code=entry["code"], defaults=wanted)
        created += int(was_created)
        changed += 1
        return row

    for i, top in enumerate(data):
        parent = sync(top, None, i)
        for j, child in enumerate(top.get("children", [])):
            sync(child, parent, j)
    if changed:
        bump(routing.CATALOGUE)
    return created


@transaction.atomic
def catalogue_version_create(
    *, actor: Actor, entries: list[dict[str, Any]], note: str = "", activate: bool = True
) -> CatalogueVersion:
    """A new catalogue version from entries {category, area, tier, organisation?}; optionally made active."""
    number = (CatalogueVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    if activate:
        CatalogueVersion.objects.filter(active=True).update(active=False, status=CatalogueStatus.RETIRED)
    now = timezone.now()
    version = CatalogueVersion.objects.create(
        number=number,
        note=note,
        active=activate,
        # Written whole (the shipped default, imports): active at once, or kept aside retired. A change to
        # the catalogue in use goes through a reviewed draft (services/catalogue.py).
        status=CatalogueStatus.ACTIVE if activate else CatalogueStatus.RETIRED,
        created_by=signed_in_user(actor),
        activated_by=signed_in_user(actor) if activate else None,
        activated_at=now if activate else None,
    )
    rows = []
    for e in entries:
        tier = e["tier"]
        if tier not in Tier.values:
            raise ValidationFailed(extra={"field": "tier", "value": tier})
        if tier == Tier.DEPARTMENT and not e.get("organisation"):
            raise ValidationFailed(extra={"field": "organisation"})
        rows.append(
            CatalogueEntry(
                version=version,
                category=e["category"],
                area=e["area"],
                tier=tier,
                organisation=e.get("organisation"),
            )
        )
    CatalogueEntry.objects.bulk_create(rows)
    bump(routing.CATALOGUE)
    return version


def catalogue_create_default(*, actor: Actor = None) -> CatalogueVersion | None:
    """The shipped catalogue: every first-level category at every district, at its default starting tier.
    Does nothing when a catalogue already exists or there is no district or no category."""
    if CatalogueVersion.objects.exists():
        return None
    districts = list(OrgNode.objects.filter(parent__isnull=True))
    tops = list(Category.objects.filter(parent__isnull=True))
    if not districts or not tops:
        return None
    entries = [
        {"category": c, "area": d, "tier": routing.DEFAULT_TIERS.get(c.code, Tier.COMMUNITY)}
        for d in districts
        for c in tops
    ]
    return catalogue_version_create(actor=actor, entries=entries, note="默认派单目录")
