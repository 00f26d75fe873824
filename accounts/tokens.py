"""Signed, expiring links for confirming an email address.

The payload names the address the link is for, and a link works only while the
account is in the state it was made for (unconfirmed with that email; or still
on the old email for a change), so each link is single-use without a table.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

_CONFIRM_SALT = "accounts.email-confirm"
_CHANGE_SALT = "accounts.email-change"


class TokenInvalid(Exception):
    """The link is forged, expired or malformed."""


@dataclass(frozen=True)
class EmailChange:
    user_id: int
    old_email: str
    new_email: str


def email_confirmation_token(user) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=_CONFIRM_SALT, compress=True)


def read_email_confirmation_token(token: str) -> tuple[int, str]:
    data = _loads(token, _CONFIRM_SALT)
    try:
        return int(data["u"]), str(data["e"])
    except (KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid from exc


def email_change_token(user, new_email: str) -> str:
    return signing.dumps({"u": user.pk, "o": user.email, "n": new_email}, salt=_CHANGE_SALT, compress=True)


def read_email_change_token(token: str) -> EmailChange:
    data = _loads(token, _CHANGE_SALT)
    try:
        return EmailChange(user_id=int(data["u"]), old_email=str(data["o"]), new_email=str(data["n"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid from exc


def _loads(token: str, salt: str):
    try:
        return signing.loads(token, salt=salt, max_age=settings.ACCOUNTS_EMAIL_LINK_MAX_AGE)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature
        raise TokenInvalid from exc
