"""The appeal and the rows that hang off it: photos, whistle parts, the trace (events), ratings, callbacks, urging
and extension requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.masking import mask_name, mask_phone
from linli.core.models import BaseModel

from ..choices import (
    OPEN_STATE_VALUES,
    AppealKind,
    AppealState,
    CallbackStatus,
    Channel,
    ExtensionStatus,
    Outcome,
    PhotoStage,
    Priority,
    Rating,
    Tier,
)
from .reference import CatalogueVersion, Category, SlaRule

# `Appeal.has_contact` in a query: the appeals with anyone to contact (the worker's contact and callback jobs).
HAS_CONTACT = Q(resident__isnull=False) | ~Q(contact_phone="")


class Appeal(BaseModel):
    tracking_number = models.CharField(_("tracking number"), max_length=24, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=AppealKind.choices)
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("category"),
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=2000)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals",
        verbose_name=_("resident"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=24, blank=True, db_index=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # The resident agreed at reporting that the photos they gave may be shown on the public page once it is solved.
    photos_public = models.BooleanField(_("photos may be published"), default=False)
    # 不予公开: the staff handling it withheld it from the public pages (the reason is its `withhold` event).
    disclosure_withheld = models.BooleanField(_("withheld from the public pages"), default=False)
    grid = models.ForeignKey(
        "territory.Grid",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("grid"),
    )
    # Org path of where the appeal is (the grid's node, or the unit it went to when it has no place): scoping.
    org_path = models.CharField(
        _("org path"), max_length=255, db_index=True, blank=True, default="", editable=False
    )
    priority = models.CharField(
        _("priority"), max_length=12, choices=Priority.choices, default=Priority.NORMAL
    )
    state = models.CharField(
        _("state"), max_length=16, choices=AppealState.choices, default=AppealState.ACCEPTED
    )
    state_before_pause = models.CharField(
        _("state before pause"), max_length=16, blank=True, default="", editable=False
    )
    tier = models.CharField(_("tier"), max_length=12, choices=Tier.choices, blank=True)
    unit_node = models.ForeignKey(
        "territory.OrgNode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible unit"),
    )
    unit_org = models.ForeignKey(
        "territory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("responsible department"),
    )
    # Deadlines: indexed columns the worker scans (partial indexes on open states, see Meta).
    sla_rule = models.ForeignKey(
        SlaRule,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("deadline rule"),
    )
    clock_started_at = models.DateTimeField(_("clock started at"), null=True, blank=True)
    ack_due_at = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    contact_due_at = models.DateTimeField(_("contact the resident by"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("resolve by"), null=True, blank=True)
    warn_at = models.DateTimeField(_("warn at"), null=True, blank=True, editable=False)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True, editable=False)
    ack_breached_at = models.DateTimeField(_("acknowledgement overdue since"), null=True, blank=True)
    contact_breached_at = models.DateTimeField(_("first contact overdue since"), null=True, blank=True)
    breached_at = models.DateTimeField(_("overdue since"), null=True, blank=True)
    # The resident's clock: a total deadline from receipt, set at intake and kept through escalations and
    # re-dispatches (each tier's own clock is resolve_due_at).
    total_due_at = models.DateTimeField(_("total deadline"), null=True, blank=True)
    total_breached_at = models.DateTimeField(_("total deadline overdue since"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(_("paused seconds"), default=0)
    # Milestones.
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    first_contact_at = models.DateTimeField(_("first contact at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    callback_due_at = models.DateTimeField(_("callback due at"), null=True, blank=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True, default="")
    resolution_note = models.TextField(_("resolution note"), max_length=2000, blank=True)
    resolved_tier = models.CharField(
        _("resolved at tier"), max_length=12, choices=Tier.choices, blank=True, default=""
    )
    resolved_on_time = models.BooleanField(_("resolved on time"), null=True, blank=True)
    primary = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("merged into"),
    )
    # A message raising several issues is split by a handler into appeals of their own (services/split.py).
    split_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="split_parts",
        verbose_name=_("split from"),
    )
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=255, unique=True, null=True, blank=True, editable=False
    )
    # A sensor's work order names the device whose message raised it: its possible duplicates are that device's
    # other open orders only (similarity.candidates_for), never another device's merely because it is near.
    device_code = models.CharField(_("device"), max_length=64, blank=True, default="", editable=False)
    catalogue_version = models.ForeignKey(
        CatalogueVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("catalogue version"),
    )
    return_count = models.PositiveSmallIntegerField(_("returns"), default=0)
    rework_count = models.PositiveSmallIntegerField(_("reworks"), default=0)
    escalation_count = models.PositiveSmallIntegerField(_("escalations"), default=0)
    urge_count = models.PositiveSmallIntegerField(_("urgings"), default=0)
    triage_confidence = models.FloatField(_("triage confidence"), null=True, blank=True, editable=False)
    # Set at intake; the worker's `appeals.duplicates` job compares the appeal with open ones and clears it.
    duplicates_pending = models.BooleanField(_("duplicate check pending"), default=False, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(duplicates_pending=True),
                name="appeal_duplicates_pending_idx",
            ),
            models.Index(
                fields=["resolve_due_at"],
                condition=models.Q(state__in=OPEN_STATE_VALUES),
                name="appeal_resolve_due_idx",
            ),
            models.Index(
                fields=["ack_due_at"], condition=models.Q(state="dispatched"), name="appeal_ack_due_idx"
            ),
            models.Index(
                fields=["contact_due_at"],
                condition=models.Q(first_contact_at__isnull=True, state__in=OPEN_STATE_VALUES),
                name="appeal_contact_due_idx",
            ),
            models.Index(
                fields=["warn_at"], condition=models.Q(state__in=OPEN_STATE_VALUES), name="appeal_warn_idx"
            ),
            models.Index(
                fields=["total_due_at"],
                condition=models.Q(state__in=OPEN_STATE_VALUES),
                name="appeal_total_due_idx",
            ),
            models.Index(
                fields=["callback_due_at"],
                condition=models.Q(state="resolved"),
                name="appeal_callback_due_idx",
            ),
            models.Index(fields=["state", "tier"]),
            models.Index(fields=["unit_org", "state"]),
            models.Index(fields=["created_at"]),
            # The overview's rollup worker picks up appeals changed since its last pass.
            models.Index(fields=["updated_at"], name="appeal_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.title}"

    @property
    def has_contact(self) -> bool:
        """Whether there is anyone to contact: a contact phone, or a resident's account (told in the app, and who may
        rate). A patrol's or a sensor's report, or an Open311 request, may have neither (intake's
        NO_CONTACT_CHANNELS): such an appeal has no first-contact clock and no callback (`HAS_CONTACT`, the same
        test in a query)."""
        return bool(self.contact_phone) or self.resident_id is not None

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def contact_name_masked(self) -> str:
        return mask_name(self.contact_name)

    @property
    def unit(self) -> models.Model | None:
        return self.unit_org or self.unit_node

    @property
    def unit_name(self) -> str:
        if self.tier == Tier.GRID and self.grid_id and self.grid:
            return self.grid.name
        unit = self.unit
        return str(unit) if unit else ""

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATE_VALUES

    @property
    def desk_label(self) -> str:
        """At a triage desk (accepted, with a unit): to locate (no place yet) or to dispatch; else ""."""
        if self.state != AppealState.ACCEPTED or not self.tier:
            return ""
        return str(_("To locate") if self.grid_id is None else _("To dispatch"))


def _photo_path(instance: AppealPhoto, filename: str) -> str:
    return f"appeals/{instance.appeal_id}/{filename}"


class AppealPhoto(models.Model):
    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="photos", verbose_name=_("appeal")
    )
    image = models.ImageField(_("photo"), upload_to=_photo_path)
    stage = models.CharField(_("stage"), max_length=12, choices=PhotoStage.choices, default=PhotoStage.INTAKE)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.image.name or "")


class AppealPart(models.Model):
    """吹哨报到: one summoned unit's part of the work — it reports in, then completes its part, each by its own
    deadline (set by the summoner within the deadline rule's limits), with its own warning, breaches and urgings.
    A unit with no account in Linli has its steps recorded by the summoning unit on its behalf."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="parts", verbose_name=_("appeal")
    )
    organisation = models.ForeignKey(
        "territory.Organisation",
        on_delete=models.PROTECT,
        related_name="appeal_parts",
        verbose_name=_("unit"),
    )
    summoned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("summoned by"),
    )
    summoned_at = models.DateTimeField(_("summoned at"), auto_now_add=True)
    report_due_at = models.DateTimeField(_("report in by"))
    reported_in_at = models.DateTimeField(_("reported in at"), null=True, blank=True)
    due_at = models.DateTimeField(_("complete by"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    # The part's own clocks: a late report-in is chased (and its department's leader told), a late part marked.
    report_breached_at = models.DateTimeField(_("report-in overdue since"), null=True, blank=True)
    warn_at = models.DateTimeField(_("warn at"), null=True, blank=True, editable=False)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True, editable=False)
    breached_at = models.DateTimeField(_("part overdue since"), null=True, blank=True)
    urge_count = models.PositiveSmallIntegerField(_("urgings"), default=0)
    urged_at = models.DateTimeField(_("last urged at"), null=True, blank=True)
    # Withdrawn by the summoner (with the reason): the part no longer counts, the unit may be summoned again.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdraw_reason = models.TextField(_("reason for withdrawal"), max_length=1000, blank=True)
    # The unit has no account in Linli: the summoning unit recorded its report-in and completion for it.
    on_behalf = models.BooleanField(_("recorded on the unit's behalf"), default=False)
    # 不属于本单位职责: before reporting in, the unit said the matter is not its duty (with why); the summoner
    # then withdraws the summons or insists (with a note), after which the unit reports in and works its part.
    declined_at = models.DateTimeField(_("declined as not its duty at"), null=True, blank=True)
    decline_reason = models.TextField(_("why it is not the unit's duty"), max_length=1000, blank=True)
    insisted_at = models.DateTimeField(_("summoner insisted at"), null=True, blank=True)
    insist_note = models.TextField(_("why the summoner insists"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("whistle part")
        verbose_name_plural = _("whistle parts")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal", "organisation"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="uniq_appeal_part_live",
            )
        ]
        indexes = [
            models.Index(
                fields=["report_due_at"],
                condition=models.Q(
                    reported_in_at__isnull=True, report_breached_at__isnull=True, withdrawn_at__isnull=True
                ),
                name="part_report_due_idx",
            ),
            models.Index(
                fields=["due_at"],
                condition=models.Q(done_at__isnull=True, breached_at__isnull=True, withdrawn_at__isnull=True),
                name="part_due_idx",
            ),
            models.Index(
                fields=["warn_at"],
                condition=models.Q(done_at__isnull=True, warned_at__isnull=True, withdrawn_at__isnull=True),
                name="part_warn_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} · {self.organisation}"


class AppealEvent(models.Model):
    """The trace: one row per action — who, when, from which state to which, why, through which channel."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="events", verbose_name=_("appeal")
    )
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("by"), max_length=80, blank=True)
    action = models.CharField(_("action"), max_length=24)
    from_state = models.CharField(_("from"), max_length=16, blank=True)
    to_state = models.CharField(_("to"), max_length=16, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, blank=True)
    tier = models.CharField(_("tier"), max_length=12, blank=True)
    unit_name = models.CharField(_("unit"), max_length=120, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal trace")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["action", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class AppealRating(models.Model):
    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("appeal")
    )
    value = models.CharField(_("rating"), max_length=12, choices=Rating.choices)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("rated by"),
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, default=Channel.WEB)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.value}"


class CallbackTask(models.Model):
    """回访: a community calls the resident when no rating came in time."""

    appeal = models.OneToOneField(
        Appeal, on_delete=models.CASCADE, related_name="callback", verbose_name=_("appeal")
    )
    community = models.ForeignKey(
        "territory.OrgNode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("community"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CallbackStatus.choices, default=CallbackStatus.OPEN
    )
    created_at = models.DateTimeField(_("created at"))
    # The community calls back by then (sla.callback_due: LINLI_CALLBACK_WORKING_DAYS working days from created_at);
    # an open task past it is late (selectors.callbacks_late).
    due_at = models.DateTimeField(_("call back by"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("called back by"),
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)
    # Failed calls of this round (回访未接通), each also an event of the appeal's trace; the appeal may close
    # without a rating only after permissions.CALLBACK_ATTEMPTS_BEFORE_UNRATED_CLOSE of them.
    attempts = models.PositiveSmallIntegerField(_("failed calls"), default=0)
    last_attempt_at = models.DateTimeField(_("last failed call"), null=True, blank=True)

    class Meta:
        verbose_name = _("callback task")
        verbose_name_plural = _("callback tasks")
        ordering = ["status", "created_at"]
        indexes = [
            models.Index(fields=["due_at"], condition=models.Q(status="open"), name="callback_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.status}"


class UrgeRecord(models.Model):
    """督办: a supervisor presses a late handler."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="urgings", verbose_name=_("appeal")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("urged by"),
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("urging")
        verbose_name_plural = _("urgings")
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.appeal_id} @ {self.at:%Y-%m-%d}"


class ExtensionRequest(models.Model):
    """延期: the handler asks for more working days; the tier above decides."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("appeal")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.TextField(_("reason"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=12, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal"], condition=models.Q(status="pending"), name="one_pending_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} +{self.days}"
