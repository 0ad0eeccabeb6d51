from __future__ import annotations

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import totp_match


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
        error_messages={"required": _("Enter the six-digit code.")},
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The code consists of digits only."))
        return token


class ReauthenticateForm(forms.Form):
    """Password again, and the two-factor code when the user has a device."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "autofocus": True}
        ),
        error_messages={"required": _("Enter your password.")},
    )

    def __init__(self, *args, user, device=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = device
        if device is not None:
            # A copy: the code page's field keeps its autofocus.
            self.fields["token"] = copy.deepcopy(TokenForm.base_fields["token"])
            self.fields["token"].widget.attrs.pop("autofocus", None)

    def clean_token(self) -> str:
        return TokenForm.clean_token(self)

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password and not self.user.check_password(password):
            self.add_error("password", _("The password is wrong."))
        token = cleaned.get("token")
        if (
            self.device is not None
            and token
            and totp_match(user=self.user, token=token) is None
        ):
            self.add_error(
                "token", _("The code is wrong or has expired. Try the next code.")
            )
        return cleaned
