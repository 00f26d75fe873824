"""Reads of accounts data, always scoped to the user who asks."""

from accounts.models import Consent, Membership


def memberships_for(user):
    return list(Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name"))


def consents_for(user):
    return list(Consent.objects.filter(user=user).select_related("document"))
