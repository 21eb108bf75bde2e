"""Every write to accounts: resident sign-in by one-time code, household claims, staff accounts."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed, invalid
from linli.core.masking import mask_phone
from linli.core.outbox import sms_enqueue
from linli.core.roles import Role
from linli.core.scoping import Actor, is_admin
from linli.core.validators import clean_text, validate_mobile
from linli.territory.choices import OrganisationKind
from linli.territory.models import Building, Household, Organisation, OrgNode

from .choices import CLAIM_TRANSITIONS, ClaimStatus
from .models import ApiToken, HouseholdClaim, OneTimeCode, User

OTP_MIN_INTERVAL = dt.timedelta(seconds=60)
OTP_PER_DAY = 10
OTP_DIGITS = 6

# Staff roles placed in the org tree, and the kinds of node each may be attached to.
ROLE_NODE_KINDS: dict[str, frozenset[str]] = {
    Role.GRID_WORKER: frozenset({"compound", "community"}),
    Role.PART_TIME_GRID_WORKER: frozenset({"compound", "community"}),
    Role.GRID_LEADER: frozenset({"compound", "community"}),
    Role.BUILDING_CAPTAIN: frozenset({"compound", "community"}),
    Role.COMMUNITY_WORKER: frozenset({"community"}),
    Role.STREET_OFFICER: frozenset({"street"}),
    Role.DISTRICT_LEADER: frozenset({"district"}),
}
# Roles that verify residents' household claims in their subtree.
VERIFIER_ROLES = frozenset({Role.COMMUNITY_WORKER, Role.ADMIN})


def _clean_mobile(phone: str) -> str:
    try:
        return validate_mobile(phone or "")
    except ValidationError as exc:
        raise invalid("phone", str(exc.messages[0])) from None


# --- one-time codes -------------------------------------------------------------------------------------------


def _code_hash(phone: str, code: str) -> str:
    key = hashlib.sha256(("linli-otp:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class OtpSent:
    phone: str
    expires_at: dt.datetime
    resend_after: dt.datetime


def _lock_phone(phone: str) -> None:
    """Serialise code requests for one number until the transaction ends, so the rate limit holds under
    concurrency. SQLite already runs write transactions one at a time (IMMEDIATE mode); PostgreSQL takes a
    transaction-scoped advisory lock keyed by the number."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"linli-otp:{phone}"])


def otp_request(*, phone: str) -> OtpSent:
    """Send a six-digit sign-in code to a mainland mobile number: at most one a minute and ten a day."""
    phone = _clean_mobile(phone)
    now = timezone.now()
    with transaction.atomic():
        _lock_phone(phone)
        recent = OneTimeCode.objects.filter(phone=phone, created_at__gt=now - dt.timedelta(days=1))
        last = recent.order_by("-created_at").first()
        if last is not None and last.created_at > now - OTP_MIN_INTERVAL:
            wait = int((last.created_at + OTP_MIN_INTERVAL - now).total_seconds()) + 1
            raise ValidationFailed(
                _("A code was sent less than a minute ago. Please wait %(seconds)s seconds.")
                % {"seconds": wait},
                code="otp_too_soon",
                extra={"field": "phone", "retry_after": wait},
            )
        if recent.count() >= OTP_PER_DAY:
            raise ValidationFailed(
                _("Too many codes were sent to this number today. Please try again tomorrow."),
                code="otp_daily_limit",
                extra={"field": "phone"},
            )
        # A new code replaces any earlier one still open.
        OneTimeCode.objects.filter(phone=phone, used_at__isnull=True).update(used_at=now)
        code = f"{secrets.randbelow(10**OTP_DIGITS):0{OTP_DIGITS}d}"
        ttl = dt.timedelta(seconds=settings.LINLI_OTP_TTL_SECONDS)
        otp = OneTimeCode.objects.create(phone=phone, code_hash=_code_hash(phone, code), expires_at=now + ttl)
        # SMS templates registered with Chinese gateways are in the site language, whatever the page language.
        with translation.override(settings.LANGUAGE_CODE):
            text = _("Your Linli verification code is %(code)s. It is valid for %(minutes)s minutes.") % {
                "code": code,
                "minutes": max(int(ttl.total_seconds()) // 60, 1),
            }
        # Through the outbox: tried right after the commit, retried by the worker if the gateway fails.
        sms_enqueue(phone=phone, text=text, secret=True)
    return OtpSent(phone=phone, expires_at=otp.expires_at, resend_after=otp.created_at + OTP_MIN_INTERVAL)


def otp_verify(*, phone: str, code: str, ip: str | None = None) -> User:
    """Check a code; on success return the resident account for the number, creating it on first sign-in."""
    phone = _clean_mobile(phone)
    code = (code or "").strip()
    now = timezone.now()
    max_attempts = settings.LINLI_OTP_MAX_ATTEMPTS
    # The failed attempt is counted in its own transaction, so that raising the error does not undo the count.
    with transaction.atomic():
        otp = (
            OneTimeCode.objects.select_for_update()
            .filter(phone=phone, used_at__isnull=True, expires_at__gt=now, attempts__lt=max_attempts)
            .order_by("-created_at")
            .first()
        )
        if otp is None:
            outcome = "void"
        elif not hmac.compare_digest(otp.code_hash, _code_hash(phone, code)):
            otp.attempts += 1
            otp.save(update_fields=["attempts", "updated_at"])
            outcome = "wrong"
        else:
            otp.used_at = now
            otp.save(update_fields=["used_at", "updated_at"])
            outcome = "ok"
    if outcome == "void":
        raise ValidationFailed(_void_reason(phone, now), code="otp_void", extra={"field": "code"})
    if outcome == "wrong":
        assert otp is not None
        left = max_attempts - otp.attempts
        if left <= 0:
            raise ValidationFailed(
                _("The code was entered wrongly too many times. Please request a new one."),
                code="otp_void",
                extra={"field": "code"},
            )
        raise ValidationFailed(
            _("The code is not correct. %(left)s attempts left.") % {"left": left},
            code="otp_wrong",
            extra={"field": "code", "attempts_left": left},
        )
    return _resident_for_phone(phone, ip=ip)


def _void_reason(phone: str, now: dt.datetime) -> str:
    """Why no code of `phone` is open, said as the resident would understand it: none was sent, the last one was
    entered wrongly too many times, has expired (and how long a code lasts) or was used already."""
    last = OneTimeCode.objects.filter(phone=phone).order_by("-created_at").first()
    if last is None:
        return _("No code has been sent to this number. Tap “Send code” first.")
    if last.attempts >= settings.LINLI_OTP_MAX_ATTEMPTS:
        return _("The code was entered wrongly too many times. Please request a new one.")
    if last.used_at is None and last.expires_at <= now:
        minutes = max(settings.LINLI_OTP_TTL_SECONDS // 60, 1)
        return _(
            "This code has expired: a code is valid for %(minutes)s minutes. Please request a new one."
        ) % {"minutes": minutes}
    return _("This code has already been used. Please request a new one.")


def _resident_for_phone(phone: str, *, ip: str | None) -> User:
    user = User.objects.filter(role=Role.RESIDENT, phone=phone).first()
    if user is None:
        try:
            with transaction.atomic():
                user = User(
                    username=f"m{phone}", role=Role.RESIDENT, phone=phone, display_name=mask_phone(phone)
                )
                user.set_unusable_password()
                user.save()
                audit_record(actor=user, action="resident_account_create", obj=user, ip=ip)
        except IntegrityError:
            # Created meanwhile by a parallel sign-in, or the username is taken by a staff account.
            user = User.objects.filter(role=Role.RESIDENT, phone=phone).first()
            if user is None:
                raise Conflict(
                    _("An account with this name already exists. Please contact your community."),
                    code="username_taken",
                ) from None
    if not user.is_active:
        raise PermissionDenied(_("This account has been disabled. Please contact your community."))
    return user


# --- household claims -----------------------------------------------------------------------------------------


def claimant(actor: Actor) -> User:
    """The account claiming a household: a signed-in resident, else PermissionDenied (asked before the door plate
    is looked up, so that a staff member is told why rather than that the address is unknown)."""
    if isinstance(actor, User) and actor.is_authenticated and actor.is_resident:
        return actor
    raise PermissionDenied(_("Only a resident account can claim a household."))


def household_claim(
    *, actor: User, household: Household, claimant_name: str, address_text: str = ""
) -> HouseholdClaim:
    """A resident states they live in a household; it waits for a community worker to verify it."""
    claimant(actor)
    name = (claimant_name or "").strip()
    if not name or len(name) > 50:
        raise invalid("claimant_name", _("Enter your name as registered (at most 50 characters)."))
    address_text = clean_text("address_text", address_text, most=200, label=_("Address"))
    if actor.household_id == household.pk and actor.household_verified_at:
        raise invalid("household", _("Your account is already tied to this household."))
    with transaction.atomic():
        if HouseholdClaim.objects.filter(account=actor, status=ClaimStatus.PENDING).exists():
            raise Conflict(
                _("You already have a claim awaiting verification. Please wait for your community's answer."),
                code="claim_pending",
            )
        try:
            with transaction.atomic():
                claim = HouseholdClaim.objects.create(
                    account=actor, household=household, claimant_name=name, address_text=address_text
                )
        except IntegrityError:
            raise Conflict(
                _("You already have a claim awaiting verification. Please wait for your community's answer."),
                code="claim_pending",
            ) from None
        audit_record(
            actor=actor,
            action="household_claim",
            obj=claim,
            detail={"household": household.pk, "name": name},
        )
    return claim


def claim_verifier(actor: Actor) -> User:
    """The account deciding household claims: a community worker or an administrator, else PermissionDenied."""
    if isinstance(actor, User) and (is_admin(actor) or actor.role in VERIFIER_ROLES):
        return actor
    raise PermissionDenied(_("Only a community worker can verify household claims."))


def _claim_decide(
    *, actor: Actor, claim: HouseholdClaim, to: ClaimStatus, reason: str, ip: str | None
) -> HouseholdClaim:
    verifier = claim_verifier(actor)
    if to not in CLAIM_TRANSITIONS[ClaimStatus(claim.status)]:
        raise InvalidTransition(_("This claim has already been decided."))
    now = timezone.now()
    with transaction.atomic():
        changed = HouseholdClaim.objects.filter(pk=claim.pk, status=ClaimStatus.PENDING).update(
            status=to, decided_by=verifier, decided_at=now, reason=reason, updated_at=now
        )
        if changed != 1:
            raise InvalidTransition(_("This claim has already been decided."))
        if to == ClaimStatus.APPROVED:
            account = claim.account
            # The name the community has just checked replaces the masked number an account is named by at sign-up
            # (the resident's home greeted "您好，139****0001"); a name the account already has stays.
            unnamed = Q(display_name="") | Q(display_name=mask_phone(account.phone))
            User.objects.filter(pk=account.pk).update(
                household=claim.household_id,
                household_verified_at=now,
                household_verified_by=verifier,
                display_name=Case(When(unnamed, then=Value(claim.claimant_name)), default=F("display_name")),
            )
        audit_record(
            actor=verifier,
            action=f"household_claim_{to}",
            obj=claim,
            detail={"household": claim.household_id, "account": claim.account_id, "reason": reason},
            ip=ip,
        )
    claim.refresh_from_db()
    return claim


def household_claim_verify(*, actor: Actor, claim: HouseholdClaim, ip: str | None = None) -> HouseholdClaim:
    """Approve a claim: the resident's account is tied to the household, recording who verified it and when."""
    return _claim_decide(actor=actor, claim=claim, to=ClaimStatus.APPROVED, reason="", ip=ip)


def household_claim_reject(
    *, actor: Actor, claim: HouseholdClaim, reason: str, ip: str | None = None
) -> HouseholdClaim:
    reason = clean_text("reason", reason, most=200)
    if not reason:
        raise invalid("reason", _("Say why the claim is rejected, so the resident knows what to correct."))
    return _claim_decide(actor=actor, claim=claim, to=ClaimStatus.REJECTED, reason=reason, ip=ip)


# --- staff accounts -------------------------------------------------------------------------------------------


def staff_placement_check(
    *,
    role: str,
    org_node: OrgNode | None,
    organisation: Organisation | None,
    building: Building | None = None,
) -> None:
    """Raise ValidationFailed unless the role has the kind of attachment it needs: a building captain also names
    the building they look after, inside the node they are attached to; no other role names one."""
    if role not in Role.values or role == Role.RESIDENT:
        raise invalid("role", _("Choose a staff role."))
    if role in ROLE_NODE_KINDS:
        kinds = ROLE_NODE_KINDS[role]
        if org_node is None or org_node.kind not in kinds:
            messages = {
                Role.GRID_WORKER: _("A grid worker must be attached to a compound or a community."),
                Role.PART_TIME_GRID_WORKER: _(
                    "A part-time grid worker must be attached to a compound or a community."
                ),
                Role.GRID_LEADER: _("A grid leader must be attached to a compound or a community."),
                Role.BUILDING_CAPTAIN: _("A building captain must be attached to a compound or a community."),
                Role.COMMUNITY_WORKER: _("A community worker must be attached to a community."),
                Role.STREET_OFFICER: _("A street officer must be attached to a street."),
                Role.DISTRICT_LEADER: _("A district leader must be attached to the district."),
            }
            raise invalid("org_node", messages[Role(role)])
        if organisation is not None:
            raise invalid("organisation", _("Only a department handler belongs to a department."))
        if role == Role.BUILDING_CAPTAIN:
            if building is None:
                raise invalid("building", _("A building captain looks after a building: choose it."))
            if not building.grid.org_node.path.startswith(org_node.path):
                raise invalid("building", _("The building lies outside the node the account is attached to."))
    if role != Role.BUILDING_CAPTAIN and building is not None:
        raise invalid("building", _("Only a building captain names a building."))
    if role == Role.DEPARTMENT_HANDLER:
        if organisation is None:
            raise invalid("organisation", _("A department handler must belong to a department or unit."))
        if org_node is not None:
            raise invalid("org_node", _("A department handler is not attached to an org node."))
    if role == Role.PROPERTY_STAFF:
        if organisation is None or organisation.kind != OrganisationKind.PROPERTY_COMPANY:
            raise invalid(
                "organisation", _("A property company's staff member belongs to a property company.")
            )
        if organisation.org_node_id is None:
            raise invalid(
                "organisation", _("Name the compound this property company serves before adding its staff.")
            )
        if org_node is not None:
            raise invalid("org_node", _("A property company's staff member is not attached to an org node."))


def _admin_flags_follow_role(user: User) -> None:
    """Django's own flags follow the role, the one source of who is an administrator: an administrator opens the
    configuration admin with every right (staff and superuser), no other role does. Set here only, on creation and
    on every change of role (the admin's form shows the flags, never edits them)."""
    user.is_staff = user.is_superuser = user.role == Role.ADMIN


def staff_create(
    *,
    actor: Actor,
    username: str,
    role: str,
    org_node: OrgNode | None = None,
    organisation: Organisation | None = None,
    building: Building | None = None,
    password: str | None = None,
    password_hash: str = "",
    display_name: str = "",
    phone: str = "",
    email: str = "",
) -> User:
    """Create a staff account; administrators get access to the configuration admin.

    `password_hash` (from `make_password`) sets an already hashed password instead of `password`: many accounts
    sharing one password (the demo's) are then hashed once, not once each (hashing is slow on purpose)."""
    if actor is not None and not is_admin(actor):
        raise PermissionDenied(_("Only an administrator can create staff accounts."))
    username = (username or "").strip()
    if not username:
        raise invalid("username", _("Enter a username."))
    if User.objects.filter(username__iexact=username).exists():
        raise invalid("username", _("This username is already taken."))
    staff_placement_check(role=role, org_node=org_node, organisation=organisation, building=building)
    clean_phone = _clean_mobile(phone) if phone else ""
    user = User(
        username=username,
        role=role,
        org_node=org_node,
        organisation=organisation,
        building=building,
        display_name=clean_text(
            "display_name", display_name, most=50, label=User._meta.get_field("display_name").verbose_name
        ),
        phone=clean_phone,
        email=email,
    )
    _admin_flags_follow_role(user)
    if password_hash:
        user.password = password_hash
    elif password:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise invalid("password", " ".join(str(m) for m in exc.messages)) from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    with transaction.atomic():
        user.save()
        audit_record(
            actor=actor,
            action="staff_create",
            obj=user,
            detail={
                "role": role,
                "org_node": org_node.pk if org_node else None,
                "organisation": organisation.pk if organisation else None,
                "building": building.pk if building else None,
            },
        )
    return user


def staff_update(
    *,
    actor: Actor,
    user: User,
    role: str,
    org_node: OrgNode | None,
    organisation: Organisation | None,
    building: Building | None = None,
) -> User:
    """Change a staff member's role or attachment (the admin's change form calls this)."""
    if actor is not None and not is_admin(actor):
        raise PermissionDenied(_("Only an administrator can change staff accounts."))
    staff_placement_check(role=role, org_node=org_node, organisation=organisation, building=building)
    before = {
        "role": user.role,
        "org_node": user.org_node_id,
        "organisation": user.organisation_id,
        "building": user.building_id,
    }
    user.role = role
    user.org_node = org_node
    user.organisation = organisation
    user.building = building
    _admin_flags_follow_role(user)
    with transaction.atomic():
        user.save(update_fields=["role", "org_node", "organisation", "building", "is_staff", "is_superuser"])
        audit_record(
            actor=actor,
            action="staff_update",
            obj=user,
            detail={
                "before": before,
                "after": {
                    "role": role,
                    "org_node": user.org_node_id,
                    "organisation": user.organisation_id,
                    "building": user.building_id,
                },
            },
        )
    return user


def _token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_check(*, user: User, name: str) -> str:
    """The name of a key that may be made for `user` (an active account, a system named), else ValidationFailed."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationFailed(
            _("Name the system that will use this key (at most 80 characters)."), extra={"field": "name"}
        )
    if not user.is_active:
        raise ValidationFailed(_("This account is disabled."), extra={"field": "user"})
    return name


def api_token_create(*, actor: Actor, user: User, name: str) -> tuple[ApiToken, str]:
    """Make an API key for `user`; returns the row and the key, which is never shown again."""
    if not is_admin(actor):
        raise PermissionDenied()
    name = api_token_check(user=user, name=name)
    key = "ll_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:10], key_hash=_token_hash(key))
    audit_record(
        actor=actor, action="api_token_create", obj=token, detail={"user": user.username, "name": name}
    )
    return token, key


def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    if not is_admin(actor):
        raise PermissionDenied()
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()) == 1:
        audit_record(actor=actor, action="api_token_revoke", obj=token)
    token.refresh_from_db()
    return token


def api_token_authenticate(*, key: str) -> User | None:
    """The active account behind an API key, or None; records when the key was last used (at most per minute)."""
    if not key or not key.startswith("ll_"):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_token_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
