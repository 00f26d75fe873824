"""The kinds of events people can be notified about, declared by the apps that own them.

Each domain app lists its events in `<app>/notifying.py` with `register()`;
this app imports those modules when Django starts (see apps.py), so the
preferences page and notify() know every event without knowing any domain.
"""

from dataclasses import dataclass

from notifications.models import Channel

CUSTOMER = "customer"
STAFF = "staff"


@dataclass(frozen=True)
class EventType:
    key: str
    label: str
    # Template prefix: `<template>/subject.txt` and `<template>/body.txt` are
    # required, `<template>/body.html` and `<template>/sms.txt` optional.
    template: str
    audience: str = CUSTOMER
    # Channels on unless the person switches them off; channels they may switch on.
    default_channels: tuple[str, ...] = (Channel.EMAIL, Channel.INAPP)
    optional_channels: tuple[str, ...] = (Channel.SMS,)
    # Messages the law obliges us to send: their default channels cannot be switched off.
    legally_required: bool = False
    description: str = ""

    @property
    def channels(self):
        return tuple(c for c in Channel.values if c in self.default_channels or c in self.optional_channels)


_registry: dict[str, EventType] = {}


def register(event_type: EventType) -> EventType:
    existing = _registry.get(event_type.key)
    if existing is not None and existing != event_type:
        raise ValueError(f"notification event {event_type.key!r} is registered twice with different settings")
    _registry[event_type.key] = event_type
    return event_type


def get_event_type(key: str) -> EventType:
    try:
        return _registry[key]
    except KeyError:
        raise LookupError(f"unknown notification event {key!r}: register it in <app>/notifying.py") from None


def event_types_for(user) -> list[EventType]:
    """Events a person can tune on the preferences page: customer events, and staff events for staff."""
    audiences = {CUSTOMER, STAFF} if user.is_staff else {CUSTOMER}
    return [e for e in _registry.values() if e.audience in audiences]


def ladder_rung(days_left: int, rungs) -> int | None:
    """The reminder ladder's rung for today: the smallest rung at or above `days_left`, or None.

    With rungs 3 and 1: 3 or 2 working days left → rung 3, 1 or 0 → rung 1. An item first seen
    with 1 day left skips rung 3 instead of getting two reminders. Every domain's scan uses it.
    """
    return min((rung for rung in rungs if days_left <= rung), default=None)


@dataclass(frozen=True)
class ReminderPolicySpec:
    """A rung of a reminder ladder that staff may tune: on/off and a few numbers (days, hours)."""

    key: str
    label: str
    help_text: str
    default_values: tuple[int, ...] = ()
    default_enabled: bool = True
    min_value: int = 0
    max_value: int = 365
    # How many numbers staff must give; 0 means "one or more" (a ladder of days).
    value_count: int = 0


_policies: dict[str, ReminderPolicySpec] = {}


def register_reminder_policy(spec: ReminderPolicySpec) -> ReminderPolicySpec:
    _policies[spec.key] = spec
    return spec


def get_reminder_policy_spec(key: str) -> ReminderPolicySpec:
    try:
        return _policies[key]
    except KeyError:
        raise LookupError(f"unknown reminder policy {key!r}: register it in <app>/notifying.py") from None


def reminder_policy_specs() -> list[ReminderPolicySpec]:
    return list(_policies.values())
