from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.core.models import BaseModel
from linli.territory.models import Grid, OrgNode

from .choices import PlaceKind


class Place(BaseModel):
    """A service place of a community: where it stands, when it is open, what it offers, and its walking circle.

    `opening_hours` is a week: {"0": [["08:30", "17:30"]], …, "6": []} (Monday = "0"); a 24-hour station is
    [["00:00", "24:00"]] every day. `circles` holds the area reached on foot in 5, 10 and 15 minutes as GeoJSON
    geometries keyed by minutes, computed on the roads whose fingerprint is `circles_roads`."""

    org_node = models.ForeignKey(
        OrgNode, on_delete=models.PROTECT, related_name="service_places", verbose_name=_("community")
    )
    grid = models.ForeignKey(
        Grid,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_places",
        verbose_name=_("grid"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    lng = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    phone = models.CharField(_("contact phone"), max_length=24, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    services = models.TextField(_("services"), blank=True, help_text=_("One service a line."))
    opening_hours = models.JSONField(_("opening hours"), default=dict)
    photo = models.ImageField(_("photo"), upload_to="places/%Y/%m/", blank=True)
    active = models.BooleanField(_("in service"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    circles = models.JSONField(default=dict, editable=False)
    circles_roads = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("service place")
        verbose_name_plural = _("service places")
        ordering = ["org_node__path", "kind", "name", "id"]
        indexes = [models.Index(fields=["circles_roads"])]

    def __str__(self) -> str:
        return self.name

    @property
    def service_list(self) -> list[str]:
        return [line.strip() for line in self.services.splitlines() if line.strip()]

    @property
    def photo_url(self) -> str | None:
        """Where the photo is seen (the site never serves MEDIA_URL: `views.photo` does, for whoever may see the
        place), marked with the place's last change so that a new photo is not hidden by one a browser cached."""
        if not self.photo:
            return None
        return f"{reverse('places:photo', args=[self.pk])}?v={int(self.updated_at.timestamp())}"


class Activity(BaseModel):
    """One entry of a place's calendar: an activity in one of its rooms (a room is booked once at a time)."""

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="activities", verbose_name=_("place")
    )
    title = models.CharField(_("activity"), max_length=100)
    room = models.CharField(_("room"), max_length=50, blank=True, default="")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    description = models.TextField(_("description"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("place activity")
        verbose_name_plural = _("place activities")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["place", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class Subscription(models.Model):
    """A resident follows a place or a whole community and gets the weekly digest of coming activities."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="place_subscriptions"
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    org_node = models.ForeignKey(
        OrgNode, null=True, blank=True, on_delete=models.CASCADE, related_name="place_subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    digest_week = models.CharField(max_length=8, blank=True, default="")  # ISO week of the last digest sent

    class Meta:
        verbose_name = _("place subscription")
        verbose_name_plural = _("place subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "place"], name="places_one_subscription_per_place"),
            models.UniqueConstraint(
                fields=["user", "org_node"], name="places_one_subscription_per_community"
            ),
            models.CheckConstraint(
                condition=models.Q(place__isnull=False, org_node__isnull=True)
                | models.Q(place__isnull=True, org_node__isnull=False),
                name="places_subscription_to_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.place_id or self.org_node_id}"
