"""Territory (people and housing), the org tree over it and the organisations that serve it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core import crypto
from linli.core.masking import mask_id_number, mask_phone
from linli.core.models import BaseModel
from linli.core.orgpath import path_ids

from .choices import (
    CareLevel,
    Gender,
    GridKind,
    LifeEvent,
    NodeKind,
    OrganisationKind,
    ResidentStatus,
    RoadKind,
    VenueCategory,
    VenueState,
)


class OrgNode(BaseModel):
    """One node of the administrative tree: district → street → community → compound."""

    kind = models.CharField(_("kind"), max_length=16, choices=NodeKind.choices)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("division code"), max_length=32, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    # Materialised path of primary keys, "/1/4/17/": a subtree is every node whose path starts with this one.
    path = models.CharField(_("path"), max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)

    class Meta:
        verbose_name = _("org node")
        verbose_name_plural = _("org tree")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def ancestor_ids(self) -> list[int]:
        """Primary keys from the top of the tree down to this node, itself included."""
        return path_ids(self.path)

    def chain(self) -> list[OrgNode]:
        """This node and its ancestors, top first (district → … → this node), in one query."""
        ids = self.ancestor_ids()
        by_id = {node.pk: node for node in OrgNode.objects.filter(pk__in=ids)}
        return [by_id[pk] for pk in ids if pk in by_id]


class Grid(BaseModel):
    """The smallest governed area: a closed polygon with a code and its grid workers."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=GridKind.choices, default=GridKind.GRID)
    org_node = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="grids", verbose_name=_("community or compound")
    )
    parent_grid = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="microgrids",
        verbose_name=_("parent grid"),
    )
    # GeoJSON Polygon geometry, longitude/latitude (WGS 84).
    boundary = models.JSONField(_("boundary"))
    min_lng = models.FloatField(_("west edge"), editable=False, default=0)
    min_lat = models.FloatField(_("south edge"), editable=False, default=0)
    max_lng = models.FloatField(_("east edge"), editable=False, default=0)
    max_lat = models.FloatField(_("north edge"), editable=False, default=0)
    centroid_lng = models.FloatField(_("centroid longitude"), editable=False, default=0)
    centroid_lat = models.FloatField(_("centroid latitude"), editable=False, default=0)
    area_m2 = models.FloatField(_("area (m²)"), editable=False, default=0)
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="grids", verbose_name=_("grid workers")
    )
    station_name = models.CharField(_("grid station"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Building(BaseModel):
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("grid"))
    compound = models.ForeignKey(
        OrgNode,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="buildings",
        verbose_name=_("compound"),
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    address_key = models.CharField(
        _("address key"), max_length=200, db_index=True, editable=False, default=""
    )
    lng = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    floors = models.PositiveSmallIntegerField(_("floors"), default=1)
    # Homes on each floor of each entrance (一梯几户); 0 = not known. Floors × entrances × this bounds the households.
    households_per_floor = models.PositiveSmallIntegerField(_("households per floor"), default=0)
    captain = models.ForeignKey(
        "Resident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="captain_of",
        verbose_name=_("building captain"),
    )

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Entrance(models.Model):
    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, related_name="entrances", verbose_name=_("building")
    )
    number = models.PositiveSmallIntegerField(_("entrance number"))

    class Meta:
        verbose_name = _("entrance")
        verbose_name_plural = _("entrances")
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="uniq_entrance")]
        ordering = ["building_id", "number"]

    def __str__(self) -> str:
        return f"{self.building} {self.number}"


class Household(BaseModel):
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="households", verbose_name=_("building")
    )
    entrance = models.ForeignKey(
        Entrance,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("entrance"),
    )
    code = models.CharField(_("code"), max_length=48, unique=True)
    room = models.CharField(_("room"), max_length=20)
    address = models.CharField(_("address"), max_length=200)
    is_rented = models.BooleanField(_("rented"), default=False)
    floor_area = models.DecimalField(
        _("floor area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.address


class Resident(BaseModel):
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
        verbose_name=_("household"),
    )
    # Denormalised from the household's building, so scoping a resident needs one join.
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="residents", verbose_name=_("grid"))
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    phone = models.CharField(_("phone"), max_length=24, blank=True)
    # The ID number is stored encrypted; the keyed hash finds duplicates, the masked form is shown in lists.
    id_number_encrypted = models.TextField(_("ID number (encrypted)"), editable=False, default="")
    id_number_hash = models.CharField(
        _("ID number lookup key"), max_length=64, unique=True, null=True, editable=False
    )
    id_number_masked = models.CharField(_("ID number"), max_length=24, editable=False, default="")
    relation = models.CharField(_("relation to head of household"), max_length=20, blank=True)
    # Space-delimited tag codes (" elderly_alone disabled "), filtered with `tags__contains=" code "`.
    tags = models.CharField(_("tags"), max_length=200, blank=True, default="")
    care_level = models.CharField(
        _("care level"), max_length=8, choices=CareLevel.choices, blank=True, default=""
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ResidentStatus.choices, default=ResidentStatus.PRESENT
    )
    occupation = models.CharField(_("occupation"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # 人户分离: where the person's household registration (户籍) is, when it is not the home they live in.
    registered_address = models.CharField(_("registered address"), max_length=200, blank=True)
    # A tenant's (流动人口) lease; the lease reminder job notes the end date it has reminded of.
    lease_ends_on = models.DateField(_("lease ends on"), null=True, blank=True)
    lease_reminded_for = models.DateField(_("lease end reminded of"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["name"]),
            models.Index(fields=["phone"]),
            models.Index(
                fields=["lease_ends_on"],
                condition=models.Q(lease_ends_on__isnull=False),
                name="resident_lease_due",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split()

    def set_id_number(self, number: str) -> None:
        """Store a validated ID number: ciphertext, lookup hash and masked form."""
        self.id_number_encrypted = crypto.encrypt(number) if number else ""
        self.id_number_hash = crypto.lookup_hash(number) if number else None
        self.id_number_masked = mask_id_number(number)


class ResidentEvent(models.Model):
    """One dated life event of a resident (moved in, moved, moved away, born, died, …): the person's history."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="events", verbose_name=_("resident")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=LifeEvent.choices)
    occurred_on = models.DateField(_("date"))
    from_household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("from")
    )
    to_household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("to")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        ordering = ["resident_id", "occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.resident} {self.get_kind_display()} {self.occurred_on}"


class Organisation(BaseModel):
    """A department or partner unit outside the tree that can be assigned work."""

    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("code"), max_length=32, unique=True)
    phone = models.CharField(_("phone"), max_length=24, blank=True)
    # The node it serves: a district department serves the district; a partner unit pairs with a community.
    org_node = models.ForeignKey(
        OrgNode,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("serves"),
    )
    duties = models.TextField(_("duties"), blank=True)

    class Meta:
        verbose_name = _("department or partner unit")
        verbose_name_plural = _("departments and partner units")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class Road(BaseModel):
    """One stretch of a named road between two junctions (or a junction and a dead end), as a GeoJSON LineString.

    A road is kept as stretches so the network is a graph: stretches that meet share the exact end position, which
    is what a walking route (the 15-minute service circle) is searched on. Several stretches carry one name."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=RoadKind.choices, default=RoadKind.BRANCH)
    # The street (or district) that keeps the road in its register; its staff import and see it.
    org_node = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="roads", verbose_name=_("kept by")
    )
    # GeoJSON LineString geometry, longitude/latitude (WGS 84).
    geometry = models.JSONField(_("geometry"))
    length_m = models.FloatField(_("length (m)"), editable=False, default=0)

    class Meta:
        verbose_name = _("road")
        verbose_name_plural = _("roads")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Venue(BaseModel):
    """物: a small venue (九小场所) or a public facility in a grid, where it stands, who answers for it, its state."""

    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="venues", verbose_name=_("grid"))
    category = models.CharField(_("kind"), max_length=20, choices=VenueCategory.choices)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lng = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    owner_name = models.CharField(_("person in charge"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=24, blank=True)
    floor_area = models.DecimalField(
        _("floor area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    state = models.CharField(
        _("state"), max_length=12, choices=VenueState.choices, default=VenueState.UNCHECKED
    )
    inspected_on = models.DateField(_("last inspected on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("venue or facility")
        verbose_name_plural = _("venues and facilities")
        ordering = ["grid_id", "category", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)


class Visit(BaseModel):
    """情: one entry of a grid worker's visit log (民情日志): a household or venue visited, what was found, and
    whether it needs following up. An appeal raised from it keeps its tracking number here."""

    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="visits", verbose_name=_("grid"))
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("household"),
    )
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="visits", verbose_name=_("venue")
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="visits",
        verbose_name=_("visited by"),
    )
    visited_at = models.DateTimeField(_("visited at"), db_index=True)
    found = models.TextField(_("what was found"), max_length=2000)
    follow_up = models.CharField(_("follow-up needed"), max_length=200, blank=True)
    follow_up_done_at = models.DateTimeField(_("follow-up done at"), null=True, blank=True)
    appeal_number = models.CharField(_("appeal raised"), max_length=24, blank=True, db_index=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visit log")
        ordering = ["-visited_at", "-id"]
        indexes = [models.Index(fields=["grid", "-visited_at"], name="visit_grid_recent")]

    def __str__(self) -> str:
        return f"{self.visited_at:%Y-%m-%d} {self.place_label}"

    @property
    def place_label(self) -> str:
        if self.venue_id and self.venue is not None:
            return self.venue.name
        if self.household_id and self.household is not None:
            return self.household.address
        return str(_("the grid"))


def _visit_photo_path(photo: VisitPhoto, filename: str) -> str:
    return f"visits/{photo.visit_id}/{filename}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("visit"))
    image = models.ImageField(_("photo"), upload_to=_visit_photo_path)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.image.name or "")


class PendingImport(models.Model):
    """An uploaded import file between its preview and the user's confirmation (dropped once written)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("uploaded by")
    )
    kind = models.CharField(_("kind"), max_length=24)
    filename = models.CharField(_("file name"), max_length=200)
    data = models.BinaryField(_("file content"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("import awaiting confirmation")
        verbose_name_plural = _("imports awaiting confirmation")

    def __str__(self) -> str:
        return self.filename
