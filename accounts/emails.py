"""The accounts app's own mail: links a person needs to act on their account.

These are sent straight away rather than through the notifications outbox
(a higher floor): without them the account cannot be used at all, and each can
be requested again (resend) if delivery fails.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from accounts import tokens

logger = logging.getLogger(__name__)


def _send(template: str, to: str, context: dict) -> bool:
    context = {"company_name": settings.PORTAL_COMPANY_NAME, **context}
    subject = " ".join(render_to_string(f"accounts/email/{template}_subject.txt", context).split())
    body = render_to_string(f"accounts/email/{template}.txt", context)
    try:
        send_mail(subject, body, None, [to])
    except Exception:  # SMTP down: the person can ask again; never lose the saved account over it
        logger.exception("could not send %s mail", template)
        return False
    return True


def _absolute(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + path


def send_email_confirmation(user, *, site_url: str) -> bool:
    token = tokens.email_confirmation_token(user)
    link = _absolute(site_url, reverse("accounts:email_confirm", kwargs={"token": token}))
    days = settings.ACCOUNTS_EMAIL_LINK_MAX_AGE // 86400
    return _send("email_confirm", user.email, {"user": user, "link": link, "days": days})


def send_email_change_confirmation(user, new_email: str, *, site_url: str) -> bool:
    token = tokens.email_change_token(user, new_email)
    link = _absolute(site_url, reverse("accounts:email_change_confirm", kwargs={"token": token}))
    days = settings.ACCOUNTS_EMAIL_LINK_MAX_AGE // 86400
    return _send("email_change", new_email, {"user": user, "link": link, "days": days, "new_email": new_email})


def send_email_change_notice(user, old_email: str) -> bool:
    return _send("email_changed_notice", old_email, {"user": user, "new_email": user.email})


def send_invitation(invitation, raw_token: str, *, site_url: str) -> bool:
    link = _absolute(site_url, reverse("accounts:invitation", kwargs={"token": raw_token}))
    return _send("invitation", invitation.email, {"invitation": invitation, "link": link})
