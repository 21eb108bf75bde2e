from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.form_kit import TextForm


class PhoneForm(TextForm):
    phone = forms.CharField(label=_("Mobile number"), max_length=20)


class CodeForm(TextForm):
    phone = forms.CharField(max_length=20, widget=forms.HiddenInput)
    code = forms.RegexField(
        label=_("Verification code"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("The code has 6 digits.")},
    )


class ClaimForm(TextForm):
    address = forms.CharField(label=_("Building address"), max_length=200)
    unit = forms.IntegerField(label=_("Entrance (unit)"), min_value=1, max_value=99, required=False)
    room = forms.CharField(label=_("Room number"), max_length=20)
    name = forms.CharField(label=_("Your name"), max_length=50)


class RejectForm(TextForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        error_messages={
            "required": _("Say why the claim is rejected, so the resident knows what to correct.")
        },
    )
