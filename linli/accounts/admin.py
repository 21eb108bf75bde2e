"""The configuration admin for accounts: staff with their role and attachment, residents, household claims."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.errors import ValidationFailed
from linli.core.pages import apply_domain_error
from linli.core.roles import Role

from . import services
from .models import ApiToken, HouseholdClaim, User


def _check_placement(form: forms.ModelForm, cleaned: dict[str, Any]) -> None:
    role = cleaned.get("role")
    if not role:
        return
    try:
        services.staff_placement_check(
            role=role,
            org_node=cleaned.get("org_node"),
            organisation=cleaned.get("organisation"),
            building=cleaned.get("building"),
        )
    except ValidationFailed as exc:
        apply_domain_error(form, exc)


# Whether the account may sign in with a password, in words of its own (启用 / 停用) rather than Django's.
PASSWORD_SIGN_IN = [
    ("true", pgettext_lazy("password sign-in", "Enabled")),
    ("false", pgettext_lazy("password sign-in", "Disabled")),
]


# Django's help speaks of Single Sign-On and LDAP, which Linli has not: staff sign in with a password only.
PASSWORD_SIGN_IN_HELP = _(
    "Whether the account signs in with its user name and a password. Staff sign in no other way: disabled, this "
    "account cannot sign in at all (residents sign in with a code sent to their mobile, not with a password)."
)
# Django glues its warning to the help as untranslatable text; the admin's script shows it when 停用 is chosen.
PASSWORD_LOST_WARNING = _("Disabled, the account's current password stops working.")


def _name_password_sign_in(form: forms.BaseForm, *, warn: bool = False) -> None:
    field = form.fields.get("usable_password")
    if isinstance(field, forms.ChoiceField):
        field.choices = PASSWORD_SIGN_IN
        field.help_text = PASSWORD_SIGN_IN_HELP
        if warn:
            field.help_text = format_html(
                '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
                PASSWORD_SIGN_IN_HELP,
                PASSWORD_LOST_WARNING,
            )


class StaffPasswordChangeForm(AdminPasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _name_password_sign_in(self, warn=True)


class ApiTokenForm(forms.ModelForm):
    """A key for an account that may have one, named: refused on the form (what was typed kept), not after."""

    class Meta:
        model = ApiToken
        fields = ["user", "name"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("user") is not None and "name" in cleaned:
            try:
                services.api_token_check(user=cleaned["user"], name=cleaned["name"])
            except ValidationFailed as exc:
                apply_domain_error(self, exc)
        return cleaned


class StaffCreationForm(AdminUserCreationForm):
    role = forms.ChoiceField(
        label=_("role"), choices=[(r.value, r.label) for r in Role if r != Role.RESIDENT]
    )

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "role", "display_name", "phone", "org_node", "organisation", "building")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _name_password_sign_in(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        _check_placement(self, cleaned)
        return cleaned


class StaffChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("role") != Role.RESIDENT or (self.instance.pk and self.instance.role != Role.RESIDENT):
            _check_placement(self, cleaned)
        return cleaned


# Groups grant Django permissions, which Linli does not read (access follows the role): no page for them.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = StaffChangeForm
    add_form = StaffCreationForm
    change_password_form = StaffPasswordChangeForm
    list_display = ("username", "display_name", "role", "org_node", "organisation", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("username", "display_name", "phone", "org_node__name", "organisation__name")
    list_select_related = ("org_node", "organisation")
    autocomplete_fields = ()
    raw_id_fields = ("household", "building")
    # Staff and superuser status follow the role (services.staff_update sets them): shown, never edited here.
    readonly_fields = (
        "household_verified_at",
        "household_verified_by",
        "last_login",
        "date_joined",
        "is_staff",
        "is_superuser",
    )
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Role and place"), {"fields": ("role", "org_node", "organisation", "building")}),
        (_("Personal info"), {"fields": ("display_name", "phone", "email")}),
        (
            _("Resident household"),
            {"fields": ("household", "household_verified_at", "household_verified_by")},
        ),
        # Linli grants access by role (core.roles, each app's table of who may): nothing reads Django's
        # per-model permissions or groups, so the form offers none (the administrator role is a superuser).
        (
            _("Permissions"),
            {
                "fields": ("is_active", "is_staff", "is_superuser"),
                "description": _(
                    "Access follows the role: what each role may see and do is set in Linli itself, not "
                    "permission by permission. An administrator's account opens this administration site with "
                    "every right (staff and superuser status)."
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "role",
                    "org_node",
                    "organisation",
                    "building",
                    "display_name",
                    "phone",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """Creation and changes of role or attachment go through the accounts services (validated, audited)."""
        if not change:
            data = form.cleaned_data
            password = data.get("password1") if data.get("usable_password", "true") != "false" else None
            created = services.staff_create(
                actor=request.user,
                username=data["username"],
                role=data["role"],
                org_node=data.get("org_node"),
                organisation=data.get("organisation"),
                building=data.get("building"),
                password=password,
                display_name=data.get("display_name", ""),
                phone=data.get("phone", ""),
            )
            obj.pk = created.pk
            obj.password = created.password
            obj.is_staff, obj.is_superuser = created.is_staff, created.is_superuser
            obj._state.adding = False
            obj._state.db = created._state.db
            return
        placement = {"role", "org_node", "organisation", "building"}
        if placement & set(form.changed_data) and obj.role != Role.RESIDENT:
            services.staff_update(
                actor=request.user,
                user=obj,
                role=obj.role,
                org_node=obj.org_node,
                organisation=obj.organisation,
                building=obj.building,
            )
        super().save_model(request, obj, form, change)


@admin.register(HouseholdClaim)
class HouseholdClaimAdmin(admin.ModelAdmin):
    list_display = ("claimant_name", "household", "status", "created_at", "decided_by", "decided_at")
    list_filter = ("status",)
    search_fields = ("claimant_name", "household__address", "account__phone")
    list_select_related = ("household", "decided_by")
    readonly_fields = (
        "account",
        "household",
        "claimant_name",
        "address_text",
        "status",
        "decided_by",
        "decided_at",
        "reason",
        "created_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # residents claim from their own page; community workers decide on the verification page


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API keys for other systems: made here (the key is shown once), revoked by an action; never edited."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    form = ApiTokenForm
    fields = ["user", "name"]
    raw_id_fields = ["user"]
    actions = ["revoke"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        # The form checked the account and the name (ApiTokenForm); a refusal now (the account disabled meanwhile)
        # is said once by core.pages.DomainErrorMiddleware.
        token, key = services.api_token_create(actor=request.user, user=obj.user, name=obj.name)
        obj.pk = token.pk
        self.message_user(
            request,
            _("API key for %(name)s (copy it now, it is not shown again): %(key)s")
            % {"name": token.name, "key": key},
        )

    @admin.action(description=_("Revoke the selected API keys"))
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for token in queryset:
            services.api_token_revoke(actor=request.user, token=token)
        self.message_user(request, _("Revoked."))
