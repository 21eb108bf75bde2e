from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.choices import ColouredChoices


class NodeKind(models.TextChoices):
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    COMPOUND = "compound", _("Compound")


# The kind of parent each kind of node must have.
NODE_PARENT_KIND = {
    NodeKind.DISTRICT: None,
    NodeKind.STREET: NodeKind.DISTRICT,
    NodeKind.COMMUNITY: NodeKind.STREET,
    NodeKind.COMPOUND: NodeKind.COMMUNITY,
}


class GridKind(models.TextChoices):
    GRID = "grid", _("Grid")
    MICROGRID = "microgrid", _("Micro-grid")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class ResidentTag(models.TextChoices):
    ELDERLY_ALONE = "elderly_alone", _("Elderly living alone")
    ELDERLY = "elderly", _("Elderly (60+)")
    DISABLED = "disabled", _("Disabled")
    CHILD_UNDER_3 = "child_under_3", _("Child under 3")
    LOW_INCOME = "low_income", _("Low income")
    VETERAN = "veteran", _("Veteran")
    TENANT = "tenant", _("Tenant")


class CareLevel(ColouredChoices):
    NONE = "", "#8a8f98", _("None")
    GREEN = "green", "#2e9d5b", _("Green")
    YELLOW = "yellow", "#d9a400", _("Yellow")
    RED = "red", "#d23c3c", _("Red")


class OrganisationKind(models.TextChoices):
    DEPARTMENT = "department", _("Department")
    PARTNER_UNIT = "partner_unit", _("Partner unit")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisation")
    PROPERTY_COMPANY = "property_company", _("Property company")


class ResidentStatus(models.TextChoices):
    PRESENT = "present", _("Living here")
    MOVED_AWAY = "moved_away", _("Moved away")
    DECEASED = "deceased", _("Deceased")


class LifeEvent(models.TextChoices):
    MOVED_IN = "moved_in", _("Moved in")
    MOVED = "moved", _("Moved to another household here")
    MOVED_OUT = "moved_out", _("Moved away")
    BORN = "born", _("Born")
    DIED = "died", _("Died")
    HOUSEHOLD_SPLIT = "household_split", _("Household split")
    HOUSEHOLDS_MERGED = "households_merged", _("Households merged")
    HEAD_CHANGED = "head_changed", _("Head of household changed")


HEAD_RELATION = "户主"
