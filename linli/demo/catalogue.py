"""The demo district's dispatch catalogue: the shipped catalogue (every first-level category at the lowest tier
that usually handles it), changed the way a district changes it — a draft cloned from the active version, with
entries that send specialised categories straight to the department that handles them and everyday ones down
to the community, reviewed by another person and activated (appeals/services/catalogue.py)."""

from __future__ import annotations

from linli.accounts.models import User
from linli.appeals import services
from linli.appeals.choices import Tier
from linli.appeals.models import CatalogueVersion, Category
from linli.territory.models import Organisation, OrgNode

# category → (starting tier, department code of linli.demo.territory.DEPARTMENTS for the department tier)
DEMO_ENTRIES: dict[str, tuple[str, str]] = {
    "urban_construction.illegal_building": (Tier.DEPARTMENT, "CGW"),
    "urban_construction.road_works": (Tier.DEPARTMENT, "CGW"),
    "urban_construction.compound_facilities": (Tier.COMMUNITY, ""),
    "property_management.maintenance_fund": (Tier.DEPARTMENT, "ZJW"),
    "property_management.elevators": (Tier.DEPARTMENT, "SCJGJ"),
    "utilities.water_supply": (Tier.DEPARTMENT, "SWJ"),
    "utilities.power_supply": (Tier.DEPARTMENT, "GDGS"),
    "transport.traffic_congestion": (Tier.DEPARTMENT, "JTW"),
    "transport.public_transit": (Tier.DEPARTMENT, "JTW"),
    "transport.parking": (Tier.COMMUNITY, ""),
    "market_regulation.food_safety": (Tier.DEPARTMENT, "SCJGJ"),
    "market_regulation.price": (Tier.DEPARTMENT, "SCJGJ"),
    "market_regulation.counterfeit": (Tier.DEPARTMENT, "SCJGJ"),
    "environment.cooking_fumes": (Tier.DEPARTMENT, "STHJJ"),
    "environment.water_pollution": (Tier.DEPARTMENT, "STHJJ"),
    "health.vaccines": (Tier.DEPARTMENT, "WJW"),
    "health.public_health": (Tier.DEPARTMENT, "WJW"),
    "public_safety.fraud": (Tier.DEPARTMENT, "GAFJ"),
    "civil_affairs.elderly_care": (Tier.COMMUNITY, ""),
}
NOTE = "演示：专业事项直派职能部门，日常事项下沉社区"


def demo_catalogue() -> CatalogueVersion | None:
    """Once per district: the demo entries as a reviewed version (the district leader drafts and submits, the
    administrator — the system when the demo has none yet — reviews and activates). Nothing when it is already
    active or the demo has no district."""
    if CatalogueVersion.objects.filter(note=NOTE).exists():
        return None
    district = OrgNode.objects.filter(parent__isnull=True).order_by("pk").first()
    if district is None:
        return None
    services.catalogue_create_default()
    editor = User.objects.filter(username="leader").first()
    reviewer = User.objects.filter(is_superuser=True).order_by("pk").first()
    departments = dict(Organisation.objects.filter(kind="department").values_list("code", "pk"))
    known = set(Category.objects.filter(code__in=DEMO_ENTRIES).values_list("code", flat=True))
    draft = services.catalogue_draft_create(actor=editor, note=NOTE)
    for code, (tier, department) in DEMO_ENTRIES.items():
        if code not in known or (department and department not in departments):
            continue
        services.catalogue_entry_set(
            actor=editor,
            version=draft,
            category_code=code,
            area_id=district.pk,
            tier=tier,
            organisation_id=departments.get(department),
        )
    services.catalogue_draft_submit(actor=editor, version=draft)
    services.catalogue_draft_review(actor=reviewer, version=draft, approve=True, note="已核对部门职责")
    return services.catalogue_version_activate(actor=reviewer, version=draft)
