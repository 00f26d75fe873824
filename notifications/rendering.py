"""Turning an event and its context into the words a person reads, per channel, at write time.

Messages are rendered when the row is written — in the recipient's language,
from the state the event had — so a retry tomorrow sends what was true today.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.backends.django import DjangoTemplates
from django.template.defaultfilters import linebreaks_filter
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from notifications.events import EventType
from notifications.models import Channel


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body: str  # the event's own words, shown in the inbox
    email_text: str  # body inside the branded layout
    email_html: str
    sms: str
    link_url: str  # absolute


@functools.cache
def _text_engine():
    """The project's templates without HTML autoescaping, for plain text and SMS."""
    html = settings.TEMPLATES[0]
    return DjangoTemplates(
        {
            "NAME": "notifications_text",
            "DIRS": html.get("DIRS", []),
            "APP_DIRS": True,
            "OPTIONS": {"autoescape": False},
        }
    )


def _render_text(name, context):
    return _text_engine().get_template(name).render(context)


def _optional_text(name, context):
    try:
        return _render_text(name, context)
    except TemplateDoesNotExist:
        return None


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.NOTIFICATIONS_SITE_URL + path


def render_message(
    event_type: EventType,
    context: dict,
    *,
    language: str,
    recipient_name: str = "",
    link: str = "",
    recipient_has_account: bool = True,
    channels=None,
) -> RenderedMessage:
    """The message in every form `channels` need (all of them when None): the subject and the body always,
    the branded email only for the email channel, the short text only for SMS."""
    link_url = absolute_url(link)
    base = {
        **context,
        "company_name": settings.PORTAL_COMPANY_NAME,
        "support_phone": settings.PORTAL_SUPPORT_PHONE,
        "support_email": settings.PORTAL_SUPPORT_EMAIL,
        "site_url": settings.NOTIFICATIONS_SITE_URL,
        "recipient_name": recipient_name,
        "recipient_has_account": recipient_has_account,
        "link_url": link_url,
    }
    prefix = event_type.template
    with translation.override(language):
        subject = " ".join(_render_text(f"{prefix}/subject.txt", base).split())
        body = _render_text(f"{prefix}/body.txt", base).strip()
        email_text = email_html = sms = ""
        if channels is None or Channel.EMAIL in channels:
            fragment = _optional_html(f"{prefix}/body.html", base)
            if fragment is None:
                fragment = linebreaks_filter(body, autoescape=True)
            layout = {**base, "subject": subject, "body": body, "body_html": mark_safe(fragment)}  # noqa: S308 - rendered by our templates, escaped
            email_text = _render_text("notifications/email/layout.txt", layout).strip() + "\n"
            email_html = render_to_string("notifications/email/layout.html", layout)
        if channels is None or Channel.SMS in channels:
            sms = _optional_text(f"{prefix}/sms.txt", base)
            sms = " ".join((sms if sms is not None else subject).split())
    return RenderedMessage(subject[:255], body, email_text, email_html, sms, link_url)


def _optional_html(name, context):
    try:
        return render_to_string(name, context)
    except TemplateDoesNotExist:
        return None


def message_id_for(notification_uuid) -> str:
    """The row's Message-ID: its UUID, so the same on every retry and unique across installations."""
    return f"<{notification_uuid.hex}@{settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN}>"
