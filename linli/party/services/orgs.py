"""Party organisations laid over the org tree: committee → general branch → branch → group, attached to a
street, community or compound, to a grid (网格党小组) or a building (楼栋党小组); a property company's branch
(红色物业) linked to the compound it serves; a branch of mobile members (流动党员)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core.errors import invalid
from linli.core.orgpath import path_covers
from linli.territory.choices import NodeKind, OrganisationKind
from linli.territory.models import Building, Grid, Organisation, OrgNode
from linli.territory.selectors import buildings_visible_to, grids_visible_to

from .. import permissions, selectors
from ..choices import PartyOrgCategory, PartyOrgKind
from ..models import PartyOrg
from ._common import Actor, audit, in_scope, text

# The kinds of parent each kind of party organisation may have (None: it may stand at the top).
# A committee may sit under a higher committee (街道党工委 → 社区党委); a group only ever under a branch.
PARTY_PARENT_KINDS: dict[str, set[str | None]] = {
    PartyOrgKind.COMMITTEE: {None, PartyOrgKind.COMMITTEE},
    PartyOrgKind.GENERAL_BRANCH: {PartyOrgKind.COMMITTEE},
    PartyOrgKind.BRANCH: {PartyOrgKind.COMMITTEE, PartyOrgKind.GENERAL_BRANCH},
    PartyOrgKind.GROUP: {PartyOrgKind.BRANCH},
}


def _kind_label(kind: str | None) -> str:
    return str(PartyOrgKind(kind).label) if kind in PartyOrgKind.values else _("none")


def _check_parent(kind: str, parent: PartyOrg | None, org_node: OrgNode) -> None:
    parent_kind = parent.kind if parent is not None else None
    if parent_kind not in PARTY_PARENT_KINDS[kind]:
        if parent is None:
            message = _("A %(kind)s must belong to a higher party organisation.") % {
                "kind": _kind_label(kind)
            }
        else:
            message = _("A %(kind)s cannot belong to a %(parent)s.") % {
                "kind": _kind_label(kind),
                "parent": _kind_label(parent_kind),
            }
        raise invalid("parent", message)
    if parent is not None and not path_covers(parent.org_node.path, org_node.path):
        raise invalid(
            "org_node",
            _("The organisation must sit in the area of its parent organisation (%(area)s).")
            % {"area": parent.org_node.name},
        )


def _check_attachment(kind: str, org_node: OrgNode, grid: Grid | None, building: Building | None) -> None:
    if org_node.kind == NodeKind.DISTRICT:
        raise invalid("org_node", _("Party organisations are laid over a street, community or compound."))
    if grid is not None and building is not None:
        raise invalid("building", _("Attach a party group to a grid or to a building, not both."))
    if grid is not None:
        if kind != PartyOrgKind.GROUP:
            raise invalid("grid", _("Only a party group is attached to a grid."))
        if not path_covers(org_node.path, grid.org_node.path):
            raise invalid(
                "grid",
                _("The grid %(grid)s is not inside %(area)s.") % {"grid": grid.name, "area": org_node.name},
            )
    if building is not None:
        if kind != PartyOrgKind.GROUP:
            raise invalid("building", _("Only a party group is attached to a building."))
        if not path_covers(org_node.path, building.grid.org_node.path):
            raise invalid(
                "building",
                _("The building %(building)s is not inside %(area)s.")
                % {"building": building.name, "area": org_node.name},
            )


def _check_category(
    kind: str, category: str, org_node: OrgNode, property_company: Organisation | None
) -> None:
    if category not in PartyOrgCategory.values:
        raise invalid("category", _("Choose a category from the list."))
    if category == PartyOrgCategory.PROPERTY:
        if kind != PartyOrgKind.BRANCH:
            raise invalid("category", _("A property company's party organisation is a branch."))
        if property_company is None or property_company.kind != OrganisationKind.PROPERTY_COMPANY:
            raise invalid("property_company", _("Name the property company whose branch this is."))
        if org_node.kind != NodeKind.COMPOUND:
            raise invalid("org_node", _("A property company's branch is linked to the compound it serves."))
        if property_company.org_node_id not in (None, org_node.pk):
            raise invalid(
                "property_company",
                _("%(company)s serves another compound, not %(compound)s.")
                % {"company": property_company.name, "compound": org_node.name},
            )
    elif property_company is not None:
        raise invalid("property_company", _("Only a property company's branch names a property company."))
    if category == PartyOrgCategory.MOBILE and kind not in (PartyOrgKind.BRANCH, PartyOrgKind.GENERAL_BRANCH):
        raise invalid("category", _("Mobile members are kept by a branch or a general branch."))


def _scoped(actor: Actor, values: dict[str, Any]) -> dict[str, Any]:
    """The related objects the call names, re-read through the actor's scope."""
    values["parent"] = in_scope(actor, selectors.party_org_parents_for(actor), values["parent"], "parent")
    values["org_node"] = in_scope(actor, selectors.attach_nodes_for(actor), values["org_node"], "org_node")
    values["grid"] = in_scope(actor, grids_visible_to(actor), values["grid"], "grid")
    values["building"] = in_scope(actor, buildings_visible_to(actor), values["building"], "building")
    values["property_company"] = in_scope(
        actor, selectors.property_companies_for(actor), values["property_company"], "property_company"
    )
    return values


def _checked(actor: Actor, values: dict[str, Any]) -> dict[str, Any]:
    kind = values["kind"]
    if kind not in PARTY_PARENT_KINDS:
        raise invalid("kind", _("Unknown kind of party organisation: %(kind)s.") % {"kind": kind})
    values["name"] = text(
        "name",
        values["name"],
        limit=120,
        required=True,
        message=_("A name is required (at most 120 characters)."),
    )
    values["secretary"] = text("secretary", values["secretary"], limit=50)
    values = _scoped(actor, values)
    org_node = values["org_node"]
    permissions.require(actor, "org_manage", org_node.path)
    _check_parent(kind, values["parent"], org_node)
    _check_attachment(kind, org_node, values["grid"], values["building"])
    _check_category(kind, values["category"], org_node, values["property_company"])
    return values


@transaction.atomic
def party_org_create(
    *,
    actor: Actor,
    kind: str,
    name: str,
    org_node: OrgNode,
    parent: PartyOrg | None = None,
    grid: Grid | None = None,
    building: Building | None = None,
    category: str = PartyOrgCategory.REGULAR,
    property_company: Organisation | None = None,
    secretary: str = "",
) -> PartyOrg:
    """A party organisation laid over the org tree."""
    values = _checked(
        actor,
        {
            "kind": kind,
            "name": name,
            "org_node": org_node,
            "parent": parent,
            "grid": grid,
            "building": building,
            "category": category,
            "property_company": property_company,
            "secretary": secretary,
        },
    )
    org = PartyOrg.objects.create(**values)
    audit(actor, "party_org_create", org, kind=kind, name=org.name, org_node=org.org_node.pk)
    return org


@transaction.atomic
def party_org_update(
    *,
    actor: Actor,
    org: PartyOrg,
    name: str,
    org_node: OrgNode,
    parent: PartyOrg | None = None,
    grid: Grid | None = None,
    building: Building | None = None,
    category: str = PartyOrgCategory.REGULAR,
    property_company: Organisation | None = None,
) -> PartyOrg:
    """Rename an organisation, or move or re-attach it (its kind stays; its children must still fit)."""
    org = PartyOrg.objects.select_for_update().get(pk=org.pk)
    permissions.require(actor, "org_manage", org.org_node.path)
    if parent is not None and _is_below(parent, org):
        raise invalid("parent", _("An organisation cannot belong to itself or to one below it."))
    values = _checked(
        actor,
        {
            "kind": org.kind,
            "name": name,
            "org_node": org_node,
            "parent": parent,
            "grid": grid,
            "building": building,
            "category": category,
            "property_company": property_company,
            "secretary": org.secretary,
        },
    )
    for child in org.children.select_related("org_node"):
        if not path_covers(values["org_node"].path, child.org_node.path):
            raise invalid(
                "org_node",
                _("%(child)s, which belongs to this organisation, lies outside %(area)s.")
                % {"child": child.name, "area": values["org_node"].name},
            )
    before = {f: _ref(getattr(org, f)) for f in values}
    for field, value in values.items():
        setattr(org, field, value)
    org.save(update_fields=[*values, "updated_at"])
    changed = {f: [before[f], _ref(values[f])] for f in values if before[f] != _ref(values[f])}
    audit(actor, "party_org_update", org, changes=changed)
    return org


def _ref(value: Any) -> Any:
    return getattr(value, "pk", value)


def _is_below(candidate: PartyOrg, org: PartyOrg) -> bool:
    """Whether `candidate` is `org` or lies somewhere below it in the party hierarchy."""
    seen: set[int] = set()
    node: PartyOrg | None = candidate
    while node is not None and node.pk not in seen:
        if node.pk == org.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False
