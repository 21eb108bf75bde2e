"""Volunteering API (mounted under /api/volunteers): activities and sign-up (a refusal answers 409 with
`code: signup_refused` and `extra.reason`), check-in, confirming hours, the volunteer's own record and ledger, a
volunteer record linked to a resident's account or unlinked, the time bank's accounts and transfers, the points
store, activity photos (public only with the consent of those pictured) and a community's points rules. Every
object is read through the scoping selectors (outside the caller's scope: 404) and every write goes through the
same services as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router
from ninja.files import UploadedFile

from linli.core.api_access import staff_caller
from linli.core.api_paging import limit_param, offset_param, page
from linli.core.api_refs import body_ref, body_refs
from linli.core.errors import NotFound, PermissionDenied
from linli.core.masking import mask_phone
from linli.core.scoping import get_or_404, is_staff_member
from linli.party.selectors import community_by_code
from linli.territory.schemas import ErrorOut
from linli.territory.selectors import org_nodes_visible_to

from . import selectors, services
from .models import Activity, ActivityPhoto, BankAccount, Movement, Redemption, Signup, Transfer, Volunteer
from .schemas import (
    AccountPage,
    ActivityIn,
    ActivityOut,
    ActivityPage,
    HoursIn,
    LocationIn,
    MovementPage,
    PhotoConsentIn,
    PhotoOut,
    PublicPhotoOut,
    RedeemIn,
    RedemptionOut,
    ReverseIn,
    RulesIn,
    RulesOut,
    SignupIn,
    SignupOut,
    SignupPage,
    StoreItemOut,
    TransferOut,
    VolunteerLinkIn,
    VolunteerMeOut,
    VolunteerOut,
    VolunteerPage,
    VolunteerTransferIn,
)

router = Router(tags=["volunteers"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _me(request: HttpRequest) -> Volunteer:
    volunteer = selectors.own_volunteer(request.user)
    if volunteer is None:
        raise NotFound(_("Register as a volunteer first."))
    return volunteer


def ref(obj: Any) -> dict[str, Any] | None:
    """An object named in an answer: its id and name (none: null)."""
    return None if obj is None else {"id": obj.pk, "name": getattr(obj, "name", None) or str(obj)}


def _activity(a: Activity, volunteer: Volunteer | None = None) -> dict[str, Any]:
    return {
        "id": a.pk,
        "title": a.title,
        "description": a.description,
        "state": a.state,
        "community": ref(a.community),
        "team": ref(a.team),
        "team_colour": a.team.colour if a.team else None,
        "place": a.place,
        "lng": a.lng,
        "lat": a.lat,
        "check_in_radius": a.check_in_radius,
        "signup_opens_at": a.signup_opens_at,
        "bad_weather": a.bad_weather,
        "shifts": [
            {
                "id": s.pk,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "roles": [
                    {
                        "id": r.pk,
                        "name": r.name,
                        "capacity": r.capacity,
                        "taken": getattr(r, "taken", 0),
                        "waiting": getattr(r, "waiting", 0),
                        "certificate": r.certificate,
                        "refusal": _refusal(volunteer, r),
                    }
                    for r in s.roles.all()
                ],
            }
            for s in a.shifts.all()
        ],
    }


def _refusal(volunteer: Volunteer | None, role: Any) -> str | None:
    if volunteer is None:
        return None
    refusal = services.signup_refusal(volunteer, role)
    return refusal.value if refusal is not None else None


def _signup(s: Signup) -> dict[str, Any]:
    shift = s.role.shift
    return {
        "id": s.pk,
        "state": s.state,
        "activity": ref(shift.activity),
        "role": ref(s.role),
        "volunteer": ref(s.volunteer),
        "starts_at": shift.starts_at,
        "ends_at": shift.ends_at,
        "checked_in_at": s.checked_in_at,
        "checked_out_at": s.checked_out_at,
        "hours": s.hours,
    }


# --- activities and sign-up --------------------------------------------------------------------------------


@router.get("/activities", response=ActivityPage)
def activity_list(request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()) -> Any:
    """Activities still to end, soonest first, a page at a time: a volunteer's community's open ones, or every
    activity of a staff member's communities. (An activity's own endpoint says, role by role, why the volunteer
    may not sign up.)"""
    qs = selectors.upcoming_activities(selectors.activities_visible_to(request.user))
    return page(qs, limit, offset, _activity)  # by first start, then id


@router.get("/activities/{activity_id}", response={200: ActivityOut, **ERRORS})
def activity_detail(request: HttpRequest, activity_id: int) -> dict[str, Any]:
    volunteer = None if is_staff_member(request.user) else selectors.own_volunteer(request.user)
    return _activity(selectors.activity_get_for(request.user, activity_id), volunteer)


@router.post("/activities", response={201: ActivityOut, **ERRORS})
def activity_create(request: HttpRequest, payload: ActivityIn) -> tuple[int, dict[str, Any]]:
    user = staff_caller(request)
    community = body_ref("community_id", org_nodes_visible_to(user), payload.community_id)
    team = body_ref("team_id", selectors.teams_visible_to(user), payload.team_id or None)
    made = services.activity_create(
        actor=user,
        community=community,
        team=team,
        title=payload.title,
        description=payload.description,
        place=payload.place,
        lng=payload.lng,
        lat=payload.lat,
        check_in_radius=payload.check_in_radius,
        signup_opens_at=payload.signup_opens_at,
        bad_weather=payload.bad_weather,
        shifts=[
            services.ShiftIn(s.starts_at, s.ends_at, [(r.name, r.capacity, r.certificate) for r in s.roles])
            for s in payload.shifts
        ],
    )
    return 201, _activity(selectors.activity_get_for(user, made.pk))


@router.post("/activities/{activity_id}/open", response={200: ActivityOut, **ERRORS})
def activity_open(request: HttpRequest, activity_id: int) -> dict[str, Any]:
    user = staff_caller(request)
    services.activity_open(actor=user, activity=selectors.activity_get_for(user, activity_id))
    return _activity(selectors.activity_get_for(user, activity_id))


@router.post("/roles/{role_id}/signups", response={201: SignupOut, **ERRORS})
def signup_create(request: HttpRequest, role_id: int, payload: SignupIn) -> tuple[int, dict[str, Any]]:
    role = selectors.role_get_for(request.user, role_id)
    made = services.signup_create(actor=request.user, volunteer=_me(request), role=role, wait=payload.wait)
    return 201, _signup(selectors.signup_get_for(request.user, made.pk))


@router.post("/signups/{signup_id}/cancel", response={200: SignupOut, **ERRORS})
def signup_cancel(request: HttpRequest, signup_id: int) -> dict[str, Any]:
    found = selectors.signup_get_for(request.user, signup_id)
    services.signup_cancel(actor=request.user, signup=found)
    return _signup(selectors.signup_get_for(request.user, signup_id))


@router.post("/check-in/{token}", response={200: SignupOut, **ERRORS})
def check_in(request: HttpRequest, token: str, payload: LocationIn) -> dict[str, Any]:
    """What the activity's QR code leads a phone to: check in (or out, `step: "out"`) with the phone's location."""
    activity = selectors.activity_by_token(token)
    step = services.signup_check_out if payload.step == "out" else services.signup_check_in
    made = step(
        actor=request.user, volunteer=_me(request), activity=activity, lng=payload.lng, lat=payload.lat
    )
    return _signup(selectors.signup_get_for(request.user, made.pk))


@router.get("/activities/{activity_id}/signups", response={200: list[SignupOut], **ERRORS})
def activity_roster(request: HttpRequest, activity_id: int) -> list[dict[str, Any]]:
    activity = selectors.activity_get_for(staff_caller(request), activity_id)
    return [_signup(s) for s in selectors.activity_roster(activity)]


@router.post("/signups/{signup_id}/confirm", response={200: SignupOut, **ERRORS})
def signup_confirm(request: HttpRequest, signup_id: int, payload: HoursIn) -> dict[str, Any]:
    user = staff_caller(request)
    found = selectors.signup_get_for(user, signup_id)
    services.signup_confirm_hours(actor=user, signup=found, amount=payload.hours)
    return _signup(selectors.signup_get_for(user, signup_id))


@router.post("/signups/{signup_id}/no-show", response={200: SignupOut, **ERRORS})
def signup_no_show(request: HttpRequest, signup_id: int) -> dict[str, Any]:
    user = staff_caller(request)
    services.signup_mark_no_show(actor=user, signup=selectors.signup_get_for(user, signup_id))
    return _signup(selectors.signup_get_for(user, signup_id))


# --- the volunteer's own -------------------------------------------------------------------------------------


@router.get("/me", response={200: VolunteerMeOut, **ERRORS})
def me(request: HttpRequest) -> dict[str, Any]:
    v = _me(request)
    return {
        "id": v.pk,
        "name": v.name,
        "community": ref(v.community),
        "kind": v.kind,
        "certificates": v.certificates,
        "skills": v.skills,
        "availability": v.availability,
        "account_id": v.bank_account.pk,
        "balance": v.bank_account.balance,
        "points": selectors.points_total(v),
    }


@router.get("/me/signups", response={200: SignupPage, **ERRORS})
def my_signups(request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()) -> Any:
    """The volunteer's own sign-ups, the latest shift first, a page at a time."""
    return page(selectors.signups_of(_me(request)), limit, offset, _signup)  # by shift start, then id


def _movement(m: Movement) -> dict[str, Any]:
    return {
        "id": m.pk,
        "transfer_id": m.transfer_id,
        "at": m.transfer.at,
        "amount": m.amount,
        "category": m.transfer.category,
        "note": m.transfer.note,
        "counterparts": [ref(o.account) for o in m.transfer.movements.all() if o.account_id != m.account_id],
    }


@router.get("/accounts/{account_id}/movements", response={200: MovementPage, **ERRORS})
def account_movements(
    request: HttpRequest, account_id: int, limit: int = limit_param(), offset: int = offset_param()
) -> Any:
    """An account's movements, the latest first, a page at a time."""
    account = selectors.account_get_for(request.user, account_id)
    return page(selectors.account_movements(account), limit, offset, _movement)  # by time, then id


# --- the time bank (staff) -----------------------------------------------------------------------------------


def _account(a: BankAccount) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "name": a.name,
        "community": ref(a.community),
        "balance": a.balance,
        "min_balance": a.min_balance,
        "max_balance": a.max_balance,
    }


@router.get("/accounts", response={200: AccountPage, **ERRORS})
def account_list(request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()) -> Any:
    """The time bank's accounts in the caller's area, by community, kind and name, a page at a time."""
    qs = selectors.accounts_visible_to(staff_caller(request))
    return page(qs.order_by("community__path", "kind", "name", "pk"), limit, offset, _account)


def _volunteer(v: Volunteer) -> dict[str, Any]:
    return {
        "id": v.pk,
        "name": v.name,
        "kind": v.kind,
        "community": ref(v.community),
        "phone": mask_phone(v.phone),
        "skills": v.skills,
        "certificates": v.certificates,
        "active": v.active,
        "teams": [ref(t) for t in v.teams.all()],
        "linked": v.account_id is not None,
    }


@router.get("/volunteers", response={200: VolunteerPage, **ERRORS})
def volunteer_list(request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()) -> Any:
    """The volunteers of the caller's communities by name (phones masked), a page at a time."""
    qs = selectors.volunteers_visible_to(staff_caller(request))
    return page(qs.order_by("name", "pk"), limit, offset, _volunteer)


@router.post("/volunteers/{volunteer_id}/account", response={200: VolunteerOut, **ERRORS})
def volunteer_link(request: HttpRequest, volunteer_id: int, payload: VolunteerLinkIn) -> dict[str, Any]:
    """Link a volunteer record without an account to the resident account with this mobile number (one person,
    one record); refused with 422 on `phone` when no resident account has it, when that account is a volunteer
    already, or when it is verified in another household than the register's person."""
    user = staff_caller(request)
    found = selectors.volunteer_get_for(user, volunteer_id)
    services.volunteer_link_account(actor=user, volunteer=found, phone=payload.phone)
    return _volunteer(selectors.volunteer_get_for(user, volunteer_id))


@router.delete("/volunteers/{volunteer_id}/account", response={200: VolunteerOut, **ERRORS})
def volunteer_unlink(request: HttpRequest, volunteer_id: int, reason: str = "") -> dict[str, Any]:
    """Unlink a volunteer record from its account (`reason` says why); the record keeps its hours and points."""
    user = staff_caller(request)
    found = selectors.volunteer_get_for(user, volunteer_id)
    services.volunteer_unlink_account(actor=user, volunteer=found, reason=reason)
    return _volunteer(selectors.volunteer_get_for(user, volunteer_id))


def _transfer(t: Transfer) -> dict[str, Any]:
    return {
        "id": t.pk,
        "category": t.category,
        "note": t.note,
        "at": t.at,
        "reverses_id": t.reverses_id,
        "legs": [{"account_id": m.account_id, "hours": m.amount} for m in t.movements.all()],
    }


@router.post("/transfers", response={201: TransferOut, **ERRORS})
def transfer_create(request: HttpRequest, payload: VolunteerTransferIn) -> tuple[int, dict[str, Any]]:
    """Any transfer that sums to zero: one-to-one, one-to-many, many-to-one, between communities. The giving
    accounts must be the caller's own or kept by them, each leg with the `balance` the caller saw (422 without; 409
    `balance_changed` when it moved: the same request sent twice pays once); the receiving ones need only exist."""
    if not request.user.is_authenticated:
        raise PermissionDenied()
    ids = [leg.account_id for leg in payload.legs]
    accounts = BankAccount.objects.select_related("community", "volunteer")
    found = {a.pk: a for a in body_refs("legs.{}.account_id", accounts, ids)}
    made = services.hours_transfer(
        actor=request.user,
        legs=[(found[leg.account_id], leg.hours) for leg in payload.legs],
        category=payload.category,
        note=payload.note,
        balances={leg.account_id: leg.balance for leg in payload.legs if leg.balance is not None},
    )
    return 201, _transfer(made)


@router.post("/transfers/{transfer_id}/reverse", response={201: TransferOut, **ERRORS})
def transfer_reverse(
    request: HttpRequest, transfer_id: int, payload: ReverseIn
) -> tuple[int, dict[str, Any]]:
    user = staff_caller(request)
    visible = selectors.accounts_visible_to(user).values("pk")
    transfer = get_or_404(Transfer.objects.filter(movements__account__in=visible).distinct(), pk=transfer_id)
    made = services.transfer_reverse(actor=user, transfer=transfer, reason=payload.reason)
    return 201, _transfer(made)


# --- the points store ----------------------------------------------------------------------------------------


@router.get("/store", response={200: list[StoreItemOut], **ERRORS})
def store_items(request: HttpRequest) -> list[dict[str, Any]]:
    """The items of my community's points store, each with why I may not redeem it now (or null)."""
    volunteer = _me(request)
    balance = services.points_balance(volunteer)
    out = []
    for item in selectors.store_of(volunteer):
        refusal = services.redeem_refusal(volunteer, item, balance)
        out.append(
            {
                "id": item.pk,
                "name": item.name,
                "description": item.description,
                "points": item.points,
                "stock": item.stock,
                "donor": ref(item.donor),
                "refusal": refusal.value if refusal else None,
                "refusal_label": str(refusal.label) if refusal else None,
                "points_short": max(item.points - balance, 0),
            }
        )
    return out


def _redemption(r: Redemption) -> dict[str, Any]:
    return {
        "id": r.pk,
        "item": ref(r.item),
        "points": r.points,
        "state": r.state,
        "state_label": str(r.get_state_display()),
        "created_at": r.created_at,
        "balance": services.points_balance(r.volunteer),
    }


@router.post("/store/{item_id}/redeem", response={201: RedemptionOut, **ERRORS})
def redeem(request: HttpRequest, item_id: int, payload: RedeemIn) -> tuple[int, dict[str, Any]]:
    """Redeem one piece against the points the volunteer confirmed (`balance`); a refusal answers 409 with
    `code: "redeem_refused"` and `extra.reason` (`changed` when the points are no longer `balance`: sent twice)."""
    item = selectors.store_item_get_for(request.user, item_id)
    made = services.redemption_create(
        actor=request.user, volunteer=_me(request), item=item, balance=payload.balance
    )
    return 201, _redemption(made)


@router.post("/redemptions/{redemption_id}/cancel", response={200: RedemptionOut, **ERRORS})
def redemption_cancel(request: HttpRequest, redemption_id: int) -> dict[str, Any]:
    found = selectors.redemption_get_for(request.user, redemption_id)
    return _redemption(services.redemption_cancel(actor=request.user, redemption=found))


# --- photos of activities ------------------------------------------------------------------------------------


def _photo(p: ActivityPhoto) -> dict[str, Any]:
    return {
        "id": p.pk,
        "activity": ref(p.activity),
        "caption": p.caption,
        "url": reverse("volunteers:staff_photo", args=[p.pk]),
        "consent": p.consent,
        "consent_note": p.consent_note,
        "consent_at": p.consent_at,
        "created_at": p.created_at,
    }


@router.get("/activities/{activity_id}/photos", response={200: list[PhotoOut], **ERRORS})
def photo_list(request: HttpRequest, activity_id: int) -> list[dict[str, Any]]:
    """Every photo of the activity, public or not (staff of its community)."""
    activity = selectors.activity_get_for(staff_caller(request), activity_id)
    return [_photo(p) for p in selectors.activity_photos(activity)]


@router.post("/activities/{activity_id}/photos", response={201: PhotoOut, **ERRORS})
def photo_add(
    request: HttpRequest, activity_id: int, photo: File[UploadedFile], caption: Form[str] = ""
) -> tuple[int, dict[str, Any]]:
    """Upload a photo (multipart: `photo`, `caption`); it stays private until consent is recorded."""
    user = staff_caller(request)
    activity = selectors.activity_get_for(user, activity_id)
    made = services.activity_photo_add(actor=user, activity=activity, photo=photo, caption=caption)
    return 201, _photo(selectors.activity_photo_get_for(user, made.pk))


@router.post("/photos/{photo_id}/consent", response={200: PhotoOut, **ERRORS})
def photo_consent(request: HttpRequest, photo_id: int, payload: PhotoConsentIn) -> dict[str, Any]:
    """Record that everyone pictured agreed (`consent: true`, `note`: how), or withdraw it (`false`, why)."""
    user = staff_caller(request)
    photo = selectors.activity_photo_get_for(user, photo_id)
    services.activity_photo_consent(actor=user, photo=photo, consent=payload.consent, note=payload.note)
    return _photo(selectors.activity_photo_get_for(user, photo_id))


@router.delete("/photos/{photo_id}", response={204: None, **ERRORS})
def photo_remove(request: HttpRequest, photo_id: int) -> tuple[int, None]:
    user = staff_caller(request)
    services.activity_photo_remove(actor=user, photo=selectors.activity_photo_get_for(user, photo_id))
    return 204, None


@router.get("/public/{code}/photos", response={200: list[PublicPhotoOut], **ERRORS}, auth=None)
def public_photos(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    """Open to anyone: the photos of a community's past activities that everyone pictured agreed to show,
    latest activity first (the same as its public page)."""
    return [
        {
            "id": p.pk,
            "activity": ref(activity),
            "held_on": timezone.localdate(activity.first_start),  # type: ignore[attr-defined]
            "caption": p.caption,
            "url": reverse("volunteers:public_photo", args=[p.pk]),
        }
        for activity in selectors.public_past_activities(community_by_code(code))[:30]
        for p in activity.public_photos  # type: ignore[attr-defined]
    ]


# --- the points rules of a community -------------------------------------------------------------------------


def _rules(community: Any) -> dict[str, Any]:
    rules = services.rules_for(community.pk)
    return {
        "community": ref(community),
        "own": rules.pk is not None,
        **{field: getattr(rules, field) for field in services.RULE_BOUNDS},
    }


@router.get("/rules/{community_id}", response={200: RulesOut, **ERRORS})
def rules_read(request: HttpRequest, community_id: int) -> dict[str, Any]:
    """The points rules as they apply now in a community (its own, or the defaults)."""
    community = get_or_404(
        org_nodes_visible_to(staff_caller(request)).filter(kind="community"), pk=community_id
    )
    return _rules(community)


@router.patch("/rules/{community_id}", response={200: RulesOut, **ERRORS})
def rules_update(request: HttpRequest, community_id: int, payload: RulesIn) -> dict[str, Any]:
    """Change some of a community's points rules (its staff); the bounds are the page's."""
    user = staff_caller(request)
    community = get_or_404(org_nodes_visible_to(user).filter(kind="community"), pk=community_id)
    values = {k: v for k, v in payload.dict().items() if v is not None}
    services.points_rules_set(actor=user, community=community, values=values)
    return _rules(community)


from . import team_api  # noqa: E402, F401  (the teams' operations, on this router)
