"""Django admin for party organisation: read-only lists, personal data masked.

Party records are kept through the party services (imports, the demo); the admin shows them for checking.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from linli.core.admin import ReadOnlyAdmin
from linli.core.masking import mask_phone

from .models import BeaconHousehold, MemberRegistration, PartyMember, PartyOrg


@admin.register(PartyOrg)
class PartyOrgAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "org_node", "grid", "secretary"]
    list_filter = ["kind"]
    search_fields = ["name", "secretary"]
    list_select_related = ["org_node", "grid"]


@admin.register(PartyMember)
class PartyMemberAdmin(ReadOnlyAdmin):
    list_display = ["name", "party_org", "phone_display", "workplace", "joined_on"]
    search_fields = ["name", "workplace"]
    list_select_related = ["party_org"]
    exclude = ["phone"]

    @admin.display(description=_("phone"))
    def phone_display(self, obj: PartyMember) -> str:
        return mask_phone(obj.phone)


@admin.register(BeaconHousehold)
class BeaconHouseholdAdmin(ReadOnlyAdmin):
    list_display = ["member", "grid", "households_served"]
    search_fields = ["member__name"]
    list_select_related = ["member", "grid"]


@admin.register(MemberRegistration)
class MemberRegistrationAdmin(ReadOnlyAdmin):
    list_display = ["member", "community", "specialty", "grid", "post", "status", "registered_on"]
    list_filter = ["status", "specialty"]
    search_fields = ["member__name", "workplace", "post"]
    list_select_related = ["member", "community", "grid"]
