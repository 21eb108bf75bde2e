"""Rollup tables of the overview: one fact row per appeal and sums at coarser grains, kept by delta.

- AppealFact: the appeal's current contribution (dimensions + 0/1 measures), the unit of every delta.
- Rollup: sums per (grain, period start, level, unit, first-level category). Grains and levels:
  day × district/street (with category), month and year × district/street/community (with category), month
  and year × grid (category 0). Year rows let a year's ranking of 25 communities read 25 rows, not 300. Community and grid figures for days outside whole months come from the facts themselves
  (indexed by unit and day; a community has a few dozen appeals a week).
- GridRollup: the grid map's measures per (grain, start, grid, district, street, community), month and year.
- HandlingBucket: how many concluded appeals took each 0.1 working day, per (grain, start, level, unit): the
  exact median on that grid.
- RollupState: the worker's watermark (Appeal.updated_at) and the moment overdue flags were last refreshed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grain(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class Level(models.TextChoices):
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid")


class MapMeasures(models.Model):
    """The measures the grid map colours by (appeals.figures.HEADLINE_MEASURES)."""

    received = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    reached = models.IntegerField(default=0)
    responded = models.IntegerField(default=0)
    concluded = models.IntegerField(default=0)
    fixed = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    basically = models.IntegerField(default=0)

    class Meta:
        abstract = True


class Measures(MapMeasures):
    """Every measure of an appeal (appeals.figures.MEASURES): the map's and the rest."""

    counted = models.IntegerField(default=0)
    duplicates = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    breached = models.IntegerField(default=0)
    handled = models.IntegerField(default=0)
    handling_seconds = models.BigIntegerField(default=0)
    dispatched = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    ever_resolved = models.IntegerField(default=0)
    reworked = models.IntegerField(default=0)
    unsatisfied = models.IntegerField(default=0)
    tier_grid = models.IntegerField(default=0)
    tier_compound = models.IntegerField(default=0)
    tier_community = models.IntegerField(default=0)
    tier_street = models.IntegerField(default=0)
    tier_district = models.IntegerField(default=0)
    tier_department = models.IntegerField(default=0)
    tier_none = models.IntegerField(default=0)

    class Meta:
        abstract = True


class AppealFact(Measures):
    appeal_id = models.BigIntegerField(primary_key=True)
    source_updated_at = models.DateTimeField()
    day = models.DateField()
    district_id = models.BigIntegerField(default=0)
    street_id = models.BigIntegerField(null=True)
    community_id = models.BigIntegerField(null=True)
    grid_id = models.BigIntegerField(null=True)
    org_path = models.CharField(max_length=255, default="")
    category_id = models.BigIntegerField(null=True)
    category_root_id = models.BigIntegerField(default=0)
    kind = models.CharField(max_length=16, default="")
    channel = models.CharField(max_length=12, default="")
    handling_bucket = models.IntegerField(null=True)
    # Due time of a still-open appeal: the worker refreshes the fact when it passes (overdue is "as of now").
    resolve_due_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("appeal fact")
        verbose_name_plural = _("appeal facts")
        indexes = [
            models.Index(fields=["district_id", "day"], name="fact_district_day"),
            models.Index(fields=["street_id", "day"], name="fact_street_day"),
            models.Index(fields=["community_id", "day"], name="fact_community_day"),
            models.Index(fields=["grid_id", "day"], name="fact_grid_day"),
            models.Index(fields=["resolve_due_at"], condition=models.Q(open=1), name="fact_open_due"),
        ]

    def __str__(self) -> str:
        return f"fact {self.appeal_id}"


class UnitPeriod(models.Model):
    """One unit (level, node) over one period (grain, start): the key of rollups and handling-time buckets."""

    grain = models.CharField(max_length=5, choices=Grain.choices)
    start = models.DateField()
    level = models.CharField(max_length=9, choices=Level.choices)
    node_id = models.BigIntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.grain} {self.start} {self.level}:{self.node_id}"


class Rollup(Measures, UnitPeriod):
    category_root_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("rollup")
        verbose_name_plural = _("rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "node_id", "grain", "start", "category_root_id"], name="uniq_rollup"
            )
        ]

    def __str__(self) -> str:
        return f"{super().__str__()} c{self.category_root_id}"


class GridRollup(MapMeasures):
    """The grid map's sums per (grain, start, grid) and the units the appeals lie in, so that a district's map
    reads its 5,000 grids' rows as one index range (by district, street or community) instead of probing each
    grid. The units come from the appeals' own org paths, as every other figure's do."""

    grain = models.CharField(max_length=5, choices=Grain.choices)
    start = models.DateField()
    grid_id = models.BigIntegerField()
    district_id = models.BigIntegerField(default=0)
    street_id = models.BigIntegerField(default=0)
    community_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("grid map rollup")
        verbose_name_plural = _("grid map rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "start", "grid_id", "district_id", "street_id", "community_id"],
                name="uniq_grid_rollup",
            )
        ]
        indexes = [
            models.Index(fields=["grain", "start", "district_id"], name="grid_rollup_district"),
            models.Index(fields=["grain", "start", "street_id"], name="grid_rollup_street"),
            models.Index(fields=["grain", "start", "community_id"], name="grid_rollup_community"),
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.start} grid:{self.grid_id}"


class HandlingBucket(UnitPeriod):
    bucket = models.IntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("handling-time bucket")
        verbose_name_plural = _("handling-time buckets")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "node_id", "grain", "start", "bucket"], name="uniq_handling_bucket"
            )
        ]

    def __str__(self) -> str:
        return f"{super().__str__()} b{self.bucket}={self.n}"


class RollupState(models.Model):
    name = models.CharField(max_length=20, unique=True, default="appeals")
    watermark = models.DateTimeField(null=True)
    overdue_as_of = models.DateTimeField(null=True)
    rebuilt_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("rollup state")
        verbose_name_plural = _("rollup states")

    def __str__(self) -> str:
        return f"{self.name} @ {self.watermark}"


class MonthlyReport(models.Model):
    """A monthly report written by the scheduled job (XLSX and PDF under MEDIA_ROOT/reports/)."""

    node_id = models.BigIntegerField()
    node_name = models.CharField(_("unit"), max_length=100)
    node_path = models.CharField(max_length=255, db_index=True)
    month = models.DateField(_("month"))
    xlsx = models.CharField(max_length=255)
    pdf = models.CharField(max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month", "node_path"]
        constraints = [models.UniqueConstraint(fields=["node_id", "month"], name="uniq_monthly_report")]

    def __str__(self) -> str:
        return f"{self.node_name} {self.month:%Y-%m}"
