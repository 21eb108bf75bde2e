from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.choices import ColouredChoices


class NodeKind(ColouredChoices):
    """Light badges, dark text: the district purple, a street blue, a community green, a compound amber."""

    DISTRICT = "district", "#f1e9fb", "#5b2d91", _("District")
    STREET = "street", "#eef4fd", "#0f3f80", _("Street")
    COMMUNITY = "community", "#e8f5ee", "#1b5e38", _("Community")
    COMPOUND = "compound", "#fdf6e3", "#7a5310", _("Compound")


# The kind of parent each kind of node must have.
NODE_PARENT_KIND = {
    NodeKind.DISTRICT: None,
    NodeKind.STREET: NodeKind.DISTRICT,
    NodeKind.COMMUNITY: NodeKind.STREET,
    NodeKind.COMPOUND: NodeKind.COMMUNITY,
}


class GridKind(ColouredChoices):
    GRID = "grid", "#eef1f5", "#4a5566", _("Grid")
    MICROGRID = "microgrid", "#eef1f5", "#4a5566", _("Micro-grid")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class ResidentTag(models.TextChoices):
    ELDERLY_ALONE = "elderly_alone", _("Elderly living alone")
    ELDERLY = "elderly", _("Elderly (60+)")
    DISABLED = (
        "disabled",
        pgettext_lazy("resident tag", "Disabled"),
    )  # alone, "Disabled" is also Django's word
    CHILD_UNDER_3 = "child_under_3", _("Child under 3")
    LOW_INCOME = "low_income", _("Low income")
    VETERAN = "veteran", _("Veteran")
    TENANT = "tenant", _("Tenant")


class CareLevel(ColouredChoices):
    NONE = "", "#8a8f98", _("None")
    GREEN = "green", "#2e9d5b", _("Green")
    YELLOW = "yellow", "#d9a400", "#3d2e00", _("Yellow")  # dark text: white does not read on it
    RED = "red", "#d23c3c", _("Red")


class OrganisationKind(models.TextChoices):
    DEPARTMENT = "department", _("Department")
    PARTNER_UNIT = "partner_unit", _("Partner unit")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisation")
    PROPERTY_COMPANY = "property_company", _("Property company")


class ResidentStatus(ColouredChoices):
    """One living here has no badge; one moved away or deceased is shown greyed."""

    PRESENT = "present", _("Living here")
    MOVED_AWAY = "moved_away", "#eef1f5", "#4a5566", _("Moved away")
    DECEASED = "deceased", "#eef1f5", "#4a5566", _("Deceased")


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


class RoadKind(models.TextChoices):
    """The classes of urban road (GB 50220 / CJJ 37): what a walking route may use, and how a map draws it."""

    ARTERIAL = "arterial", _("Arterial road")
    SECONDARY = "secondary", _("Secondary road")
    BRANCH = "branch", _("Branch road")
    LANE = "lane", _("Compound lane")


class VenueCategory(models.TextChoices):
    """物: what stands in a grid. The first nine are the small venues (九小场所) fire safety inspects; the rest
    are public facilities whose state the grid worker keeps."""

    SHOP = "shop", _("Small shop")
    RESTAURANT = "restaurant", _("Small restaurant")
    HOTEL = "hotel", _("Small hotel")
    ENTERTAINMENT = "entertainment", _("Small entertainment venue")
    INTERNET_CAFE = "internet_cafe", _("Small internet café")
    BEAUTY = "beauty", _("Small beauty or bath venue")
    WORKSHOP = "workshop", _("Small workshop")
    CLINIC = "clinic", _("Small clinic")
    TRAINING = "training", _("Small school or kindergarten")
    EBIKE_CHARGER = "ebike_charger", _("E-bike charging point")
    BIKE_SHED = "bike_shed", _("Bike shed")
    STREET_LAMP = "street_lamp", _("Street lamp")
    MANHOLE = "manhole", _("Manhole cover")
    FITNESS = "fitness", _("Fitness equipment")
    FIRE_HYDRANT = "fire_hydrant", _("Fire hydrant")
    EV_CHARGER = "ev_charger", _("Car charging point")


SMALL_VENUES = frozenset(
    {
        VenueCategory.SHOP,
        VenueCategory.RESTAURANT,
        VenueCategory.HOTEL,
        VenueCategory.ENTERTAINMENT,
        VenueCategory.INTERNET_CAFE,
        VenueCategory.BEAUTY,
        VenueCategory.WORKSHOP,
        VenueCategory.CLINIC,
        VenueCategory.TRAINING,
    }
)


class VenueState(ColouredChoices):
    """A small venue's inspection state, or a facility's working state."""

    UNCHECKED = "unchecked", "#8a8f98", _("Not inspected yet")
    OK = "ok", "#2e9d5b", _("In order")
    HAZARD = "hazard", "#d23c3c", _("Hazard found")
    BROKEN = "broken", "#d9a400", _("Broken, awaiting repair")
    CLOSED = "closed", "#5b6170", _("Closed or out of use")
