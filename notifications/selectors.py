"""Reads of notifications, always scoped to the person who asks."""

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef

from notifications.events import event_types_for
from notifications.models import Channel, Notification, NotificationPreference, NotificationProfile, Reminder

# The bell's count is on every page: written as SQL, it costs a tenth of building the same query through the
# ORM each time (issue 11). Its WHERE is the partial index notif_unread_idx's condition.
_UNREAD_SQL = (
    f"SELECT COUNT(*) FROM {Notification._meta.db_table} "  # noqa: S608 — the model's own table name
    "WHERE recipient_id = %s AND channel = %s AND read_at IS NULL"
)


def unread_count(user) -> int:
    """The bell: one COUNT over a partial index (the person's unread in-app messages)."""
    with connection.cursor() as cursor:
        cursor.execute(_UNREAD_SQL, [user.pk, Channel.INAPP])
        return cursor.fetchone()[0]


def inbox_for(user):
    """The person's in-app messages, newest first (paginate it)."""
    return (
        Notification.objects.filter(recipient=user, channel=Channel.INAPP)
        .only("pk", "subject", "body_text", "link_url", "created_at", "read_at", "event")
        .order_by("-created_at", "-pk")
    )


def preference_rows_for(user) -> list[dict]:
    """For each event the person may tune: its channels with the current switch and whether it is locked on."""
    stored = {
        (event, channel): enabled
        for event, channel, enabled in NotificationPreference.objects.filter(user=user).values_list(
            "event", "channel", "enabled"
        )
    }
    rows = []
    for event_type in event_types_for(user):
        cells = []
        for channel in Channel.values:
            if channel not in event_type.channels:
                cells.append(None)
                continue
            default = channel in event_type.default_channels
            locked = event_type.legally_required and default
            cells.append(
                {
                    "channel": channel,
                    "label": Channel(channel).label,
                    "name": f"{event_type.key}:{channel}",
                    "enabled": locked or stored.get((event_type.key, channel), default),
                    "locked": locked,
                }
            )
        rows.append({"event": event_type, "cells": cells})
    return rows


def notification_language_for(user) -> str:
    return (
        NotificationProfile.objects.filter(user=user).values_list("language", flat=True).first()
        or settings.LANGUAGE_CODE
    )


def reminder_recorded(
    *, subject: str, kind: str, due_on=None, since=None, created_after=None, object_ref: str = "pk"
) -> Exists:
    """For a domain's scan, as a subquery: "this object already has a `kind` reminder for `due_on`
    (or for a date on or after `since`, or recorded after the moment `created_after`, which may be
    an OuterRef to the object's own field)". Served by the ledger's indexes."""
    rows = Reminder.objects.filter(subject=subject, object_id=OuterRef(object_ref), kind=kind)
    if due_on is not None:
        rows = rows.filter(due_on=due_on)
    if since is not None:
        rows = rows.filter(due_on__gte=since)
    if created_after is not None:
        rows = rows.filter(created_at__gte=created_after)
    return Exists(rows)
