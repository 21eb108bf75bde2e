"""The audit log's actions in words: each action code an app writes with core.audit (`audit(actor,
"party_org_create", obj)`) has its label here, in one table the administration site shows (the log's list, its
filter, an entry's title). Core owns the table because it owns the log; it names the codes only as strings and
imports no app. A code not in it yet still reads as words (`action_label`): 删除 and the row's kind for
`<model>_delete` (the administration site's deletes), else the kind of row and the code.
`core/tests/test_audit_actions.py` fails on a code written anywhere in the code base without a label."""

from __future__ import annotations

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

ACTION_LABELS: dict[str, Promise] = {
    "api_token_create": pgettext_lazy("audit action", "API token issued"),
    "api_token_revoke": pgettext_lazy("audit action", "API token revoked"),
    "appeal.contact.read": pgettext_lazy("audit action", "Appellant's contact read in the API"),
    "appeal.contact_reveal": pgettext_lazy("audit action", "Appellant's contact shown to care"),
    "appeals_export": pgettext_lazy("audit action", "Appeals exported"),
    "beacon_household_designate": pgettext_lazy("audit action", "Beacon household designated"),
    "beacon_household_revoke": pgettext_lazy("audit action", "Beacon household withdrawn"),
    "building_create": pgettext_lazy("audit action", "Building added"),
    "building_update": pgettext_lazy("audit action", "Building changed"),
    "calendar_override_delete": pgettext_lazy("audit action", "Working-day calendar entry removed"),
    "calendar_override_set": pgettext_lazy("audit action", "Working-day calendar entry set"),
    "care_alert_raise": pgettext_lazy("audit action", "Care alert raised"),
    "care_alert_token_issue": pgettext_lazy("audit action", "Care alert device token issued"),
    "care_contact_assign": pgettext_lazy("audit action", "Care contact assigned"),
    "care_contact_attempt": pgettext_lazy("audit action", "Care contact attempt recorded"),
    "care_contact_covered": pgettext_lazy("audit action", "Care contact covered by a later one"),
    "care_contact_read": pgettext_lazy("audit action", "Care contact record read"),
    "care_contact_record": pgettext_lazy("audit action", "Care contact recorded"),
    "care_export": pgettext_lazy("audit action", "Care records exported"),
    "care_plan_confirm": pgettext_lazy("audit action", "Care level confirmed"),
    "care_plan_read": pgettext_lazy("audit action", "Care plan read"),
    "care_plan_visitor_set": pgettext_lazy("audit action", "Care visitor set"),
    "care_service_cancel": pgettext_lazy("audit action", "Care service cancelled"),
    "care_service_deliver": pgettext_lazy("audit action", "Care service delivered"),
    "care_service_order": pgettext_lazy("audit action", "Care service ordered"),
    "catalogue.activate": pgettext_lazy("audit action", "Dispatch catalogue put in force"),
    "catalogue.approve": pgettext_lazy("audit action", "Dispatch catalogue approved"),
    "catalogue.discard": pgettext_lazy("audit action", "Dispatch catalogue draft discarded"),
    "catalogue.draft_create": pgettext_lazy("audit action", "Dispatch catalogue draft created"),
    "catalogue.send_back": pgettext_lazy("audit action", "Dispatch catalogue sent back"),
    "catalogue.submit": pgettext_lazy("audit action", "Dispatch catalogue submitted"),
    "child_place_create": pgettext_lazy("audit action", "Children's place added"),
    "child_place_read": pgettext_lazy("audit action", "Children's place record read"),
    "cobuild.commitment_add": pgettext_lazy("audit action", "Partner's commitment added"),
    "cobuild.commitment_fulfil": pgettext_lazy("audit action", "Partner's commitment fulfilled"),
    "cobuild.fund_post": pgettext_lazy("audit action", "Co-building fund entry posted"),
    "cobuild.match_confirm": pgettext_lazy("audit action", "Need and resource match confirmed"),
    "cobuild.milestone_add": pgettext_lazy("audit action", "Project milestone added"),
    "cobuild.milestone_reach": pgettext_lazy("audit action", "Project milestone reached"),
    "cobuild.need_close": pgettext_lazy("audit action", "Need closed"),
    "cobuild.need_create": pgettext_lazy("audit action", "Need added"),
    "cobuild.need_from_appeal": pgettext_lazy("audit action", "Need raised from an appeal"),
    "cobuild.need_from_visit": pgettext_lazy("audit action", "Need raised from a visit"),
    "cobuild.need_raise": pgettext_lazy("audit action", "Need raised by a resident"),
    "cobuild.order_assign": pgettext_lazy("audit action", "Service order assigned"),
    "cobuild.order_cancel": pgettext_lazy("audit action", "Service order cancelled"),
    "cobuild.order_contact": pgettext_lazy("audit action", "Service order's contact read"),
    "cobuild.order_fulfil": pgettext_lazy("audit action", "Service order fulfilled"),
    "cobuild.order_place": pgettext_lazy("audit action", "Service order placed"),
    "cobuild.order_rate": pgettext_lazy("audit action", "Service order rated"),
    "cobuild.order_refuse": pgettext_lazy("audit action", "Service order refused"),
    "cobuild.payment_approve": pgettext_lazy("audit action", "Fund payment approved"),
    "cobuild.payment_reject": pgettext_lazy("audit action", "Fund payment rejected"),
    "cobuild.payment_request": pgettext_lazy("audit action", "Fund payment requested"),
    "cobuild.project_create": pgettext_lazy("audit action", "Co-building project created"),
    "cobuild.project_progress": pgettext_lazy("audit action", "Co-building project progress recorded"),
    "cobuild.resource_create": pgettext_lazy("audit action", "Resource added"),
    "cobuild.service_item_create": pgettext_lazy("audit action", "Service item added"),
    "cobuild.service_item_withdraw": pgettext_lazy("audit action", "Service item withdrawn"),
    "cobuild.stars_publish": pgettext_lazy("audit action", "Partners' stars published"),
    "cobuild.wish_adopt": pgettext_lazy("audit action", "Wish adopted"),
    "cobuild.wish_contact": pgettext_lazy("audit action", "Wisher's contact read"),
    "cobuild.wish_fulfil": pgettext_lazy("audit action", "Wish fulfilled"),
    "cobuild.wish_post": pgettext_lazy("audit action", "Wish posted"),
    "cobuild.wish_post_for": pgettext_lazy("audit action", "Wish posted for a resident"),
    "cobuild.wish_reply": pgettext_lazy("audit action", "Wish answered"),
    "cobuild.wish_withdraw": pgettext_lazy("audit action", "Wish withdrawn"),
    "enrolment_create": pgettext_lazy("audit action", "Child enrolled"),
    "enrolment_leave": pgettext_lazy("audit action", "Child left"),
    "grid_create": pgettext_lazy("audit action", "Grid added"),
    "grid_update": pgettext_lazy("audit action", "Grid changed"),
    "hall_keep": pgettext_lazy("audit action", "Residents' hall post kept"),
    "hall_remove": pgettext_lazy("audit action", "Residents' hall post removed"),
    "household_claim": pgettext_lazy("audit action", "Household claimed"),
    "household_claim_approved": pgettext_lazy("audit action", "Household claim verified"),
    "household_claim_rejected": pgettext_lazy("audit action", "Household claim rejected"),
    "household_create": pgettext_lazy("audit action", "Household added"),
    "household_update": pgettext_lazy("audit action", "Household changed"),
    "legal_aid_apply": pgettext_lazy("audit action", "Legal aid applied for"),
    "legal_aid_assign": pgettext_lazy("audit action", "Legal aid assigned"),
    "legal_aid_conclude": pgettext_lazy("audit action", "Legal aid concluded"),
    "legal_aid_read": pgettext_lazy("audit action", "Legal aid record read"),
    "legal_aid_refuse": pgettext_lazy("audit action", "Legal aid refused"),
    "legal_talk_record": pgettext_lazy("audit action", "Legal talk recorded"),
    "mediation_case_read": pgettext_lazy("audit action", "Mediation case read"),
    "member_registration_apply": pgettext_lazy("audit action", "Party member registration applied for"),
    "member_registration_approve": pgettext_lazy("audit action", "Party member registration approved"),
    "member_registration_assign_post": pgettext_lazy("audit action", "Registered party member given a post"),
    "member_registration_end": pgettext_lazy("audit action", "Party member registration ended"),
    "member_registration_refuse": pgettext_lazy("audit action", "Party member registration refused"),
    "member_registration_register": pgettext_lazy("audit action", "Party member registered"),
    "monthly_topic.adopt": pgettext_lazy("audit action", "Monthly topic adopted"),
    "monthly_topic.complete": pgettext_lazy("audit action", "Monthly topic completed"),
    "monthly_topic.propose": pgettext_lazy("audit action", "Monthly topic proposed"),
    "monthly_topic.start": pgettext_lazy("audit action", "Monthly topic started"),
    "org_node_create": pgettext_lazy("audit action", "Organisation unit added"),
    "org_node_update": pgettext_lazy("audit action", "Organisation unit changed"),
    "organisation_create": pgettext_lazy("audit action", "Organisation added"),
    "organisation_update": pgettext_lazy("audit action", "Organisation changed"),
    "partner_pairing_create": pgettext_lazy("audit action", "Partner pairing made"),
    "partner_pairing_end": pgettext_lazy("audit action", "Partner pairing ended"),
    "partner_pairing_update": pgettext_lazy("audit action", "Partner pairing changed"),
    "party.branch_meeting_record": pgettext_lazy("audit action", "Branch meeting recorded"),
    "party.branch_stars_approve": pgettext_lazy("audit action", "Branch stars approved"),
    "party.branch_stars_compute": pgettext_lazy("audit action", "Branch stars computed"),
    "party.branch_stars_remind": pgettext_lazy("audit action", "Branches reminded of their stars"),
    "party.branch_stars_return": pgettext_lazy("audit action", "Branch self-assessment returned"),
    "party.branch_stars_submit": pgettext_lazy("audit action", "Branch self-assessment submitted"),
    "party.member_points_grant": pgettext_lazy("audit action", "Party member's points granted"),
    "party.star_rules_set": pgettext_lazy("audit action", "Star rules set"),
    "party_member_create": pgettext_lazy("audit action", "Party member added"),
    "party_member_leave": pgettext_lazy("audit action", "Party member left"),
    "party_member_set_position": pgettext_lazy("audit action", "Party member's post set"),
    "party_member_transfer": pgettext_lazy("audit action", "Party member transferred"),
    "party_member_update": pgettext_lazy("audit action", "Party member changed"),
    "party_org_create": pgettext_lazy("audit action", "Party organisation added"),
    "party_org_update": pgettext_lazy("audit action", "Party organisation changed"),
    "resident_account_create": pgettext_lazy("audit action", "Resident account created"),
    "resident_born": pgettext_lazy("audit action", "Birth registered"),
    "resident_create": pgettext_lazy("audit action", "Resident added"),
    "resident_died": pgettext_lazy("audit action", "Death registered"),
    "resident_head_changed": pgettext_lazy("audit action", "Head of household changed"),
    "resident_household_split": pgettext_lazy("audit action", "Household split"),
    "resident_households_merged": pgettext_lazy("audit action", "Households merged"),
    "resident_moved": pgettext_lazy("audit action", "Resident moved to another household here"),
    "resident_moved_in": pgettext_lazy("audit action", "Resident moved in"),
    "resident_moved_out": pgettext_lazy("audit action", "Resident moved away"),
    "resident_update": pgettext_lazy("audit action", "Resident changed"),
    "reveal_personal_data": pgettext_lazy("audit action", "Personal data shown in full"),
    "rota_add": pgettext_lazy("audit action", "Lawyer put on the rota"),
    "rota_remove": pgettext_lazy("audit action", "Lawyer taken off the rota"),
    "staff_create": pgettext_lazy("audit action", "Staff account created"),
    "staff_update": pgettext_lazy("audit action", "Staff account changed"),
    "territory_export": pgettext_lazy("audit action", "Territory data exported"),
    "territory_import": pgettext_lazy("audit action", "Territory data imported"),
    "territory_import_preview": pgettext_lazy("audit action", "Territory import checked"),
    "triage.model_activated": pgettext_lazy("audit action", "Classifier model put in use"),
    "triage.model_trained": pgettext_lazy("audit action", "Classifier model trained"),
    "venue_create": pgettext_lazy("audit action", "Venue added"),
    "venue_update": pgettext_lazy("audit action", "Venue changed"),
    "visit_follow_up_done": pgettext_lazy("audit action", "Visit follow-up done"),
    "visit_link_appeal": pgettext_lazy("audit action", "Visit linked to an appeal"),
    "visit_log": pgettext_lazy("audit action", "Visit logged"),
    "volunteers.activity_cancelled": pgettext_lazy("audit action", "Activity cancelled"),
    "volunteers.activity_create": pgettext_lazy("audit action", "Activity created"),
    "volunteers.activity_open": pgettext_lazy("audit action", "Activity opened for sign-up"),
    "volunteers.activity_photo_add": pgettext_lazy("audit action", "Activity photo added"),
    "volunteers.activity_photo_consent": pgettext_lazy("audit action", "Activity photo consent recorded"),
    "volunteers.activity_photo_remove": pgettext_lazy("audit action", "Activity photo removed"),
    "volunteers.call_to_action_issue": pgettext_lazy("audit action", "Call to action issued"),
    "volunteers.honour_review": pgettext_lazy("audit action", "Honour reviewed"),
    "volunteers.honours_compute": pgettext_lazy("audit action", "Honours computed"),
    "volunteers.hours_transfer": pgettext_lazy("audit action", "Time bank hours transferred"),
    "volunteers.points_award_bonus": pgettext_lazy("audit action", "Bonus points awarded"),
    "volunteers.points_rules_set": pgettext_lazy("audit action", "Points rules set"),
    "volunteers.redemption_cancel": pgettext_lazy("audit action", "Redemption cancelled"),
    "volunteers.redemption_create": pgettext_lazy("audit action", "Points redeemed"),
    "volunteers.redemption_hand_over": pgettext_lazy("audit action", "Redeemed item handed over"),
    "volunteers.signup_cancel": pgettext_lazy("audit action", "Sign-up cancelled"),
    "volunteers.signup_confirm_hours": pgettext_lazy("audit action", "Volunteer hours confirmed"),
    "volunteers.signup_create": pgettext_lazy("audit action", "Signed up"),
    "volunteers.signup_mark_no_show": pgettext_lazy("audit action", "Marked as not come"),
    "volunteers.store_item_create": pgettext_lazy("audit action", "Store item added"),
    "volunteers.store_item_withdraw": pgettext_lazy("audit action", "Store item withdrawn"),
    "volunteers.team_create": pgettext_lazy("audit action", "Volunteer team created"),
    "volunteers.team_join_ask": pgettext_lazy("audit action", "Asked to join a team"),
    "volunteers.team_join_decide": pgettext_lazy("audit action", "Request to join a team decided"),
    "volunteers.team_leader_set": pgettext_lazy("audit action", "Team leader set"),
    "volunteers.team_member_remove": pgettext_lazy("audit action", "Team member removed"),
    "volunteers.team_members_add": pgettext_lazy("audit action", "Team members added"),
    "volunteers.team_set_members": pgettext_lazy("audit action", "Team members set"),
    "volunteers.team_update": pgettext_lazy("audit action", "Volunteer team changed"),
    "volunteers.volunteer_enrol": pgettext_lazy("audit action", "Volunteer enrolled"),
    "volunteers.volunteer_update": pgettext_lazy("audit action", "Volunteer changed"),
    "volunteers.volunteer_link_account": pgettext_lazy(
        "audit action", "Volunteer record linked to an account"
    ),
    "volunteers.volunteer_unlink_account": pgettext_lazy(
        "audit action", "Volunteer record unlinked from its account"
    ),
}


def _kind(object_type: str) -> str:
    """The name of the kind of row `object_type` ("party.partyorg") is, e.g. 党组织; the label itself when no
    installed model has it."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def object_type_label(object_type: str) -> str:
    return _kind(object_type) if object_type else ""


def action_label(action: str, object_type: str = "") -> str:
    """`action` in the active language: its label, or for a code not labelled yet words made of what is known."""
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    kind = _kind(object_type) if object_type else ""
    if action.endswith("_delete") and kind:
        return _("Deleted: %(kind)s") % {"kind": kind}
    if kind:
        return _("%(kind)s: %(action)s") % {"kind": kind, "action": action}
    return action
