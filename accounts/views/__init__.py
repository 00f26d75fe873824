"""Accounts pages: parse input, call one service or selector, render.

One module per concern, each with its own reason to change: registration and
email confirmation, login and passwords, the profile and email change,
consents and personal data, organisations and invitations. URL names stay in
accounts/urls.py, which imports the views from here.
"""

from accounts.views.consents import consent_document, consent_give, consent_withdraw, consents, personal_data_export
from accounts.views.login import LoginView, PasswordResetView
from accounts.views.organisations import (
    invitation,
    invitation_accept_mine,
    organisation_detail,
    organisation_invitation_revoke,
    organisation_invite,
    organisation_leave,
    organisation_member_finances,
    organisation_member_readings,
    organisation_member_remove,
    organisation_member_role,
)
from accounts.views.profile import email_change, email_change_confirm, profile
from accounts.views.registration import (
    email_confirm,
    email_confirmation_resend,
    register_choice,
    register_done,
    register_organisation,
    register_resident,
    register_sole_proprietor,
)

__all__ = [
    "LoginView",
    "PasswordResetView",
    "consent_document",
    "consent_give",
    "consent_withdraw",
    "consents",
    "email_change",
    "email_change_confirm",
    "email_confirm",
    "email_confirmation_resend",
    "invitation",
    "invitation_accept_mine",
    "organisation_detail",
    "organisation_invitation_revoke",
    "organisation_invite",
    "organisation_leave",
    "organisation_member_finances",
    "organisation_member_readings",
    "organisation_member_remove",
    "organisation_member_role",
    "personal_data_export",
    "profile",
    "register_choice",
    "register_done",
    "register_organisation",
    "register_resident",
    "register_sole_proprietor",
]
