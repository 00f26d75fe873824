"""Reads of accounts data, always scoped to the user who asks.

Organisation pages fetch the membership on every request through
`membership_for`, so a removed colleague loses access with their next click,
whatever their session holds.
"""

from collections.abc import Callable

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from accounts.models import Consent, ConsentDocument, Invitation, Membership, User
from core.prepared import prepared


def current_consent_document() -> ConsentDocument:
    document = ConsentDocument.objects.filter(published_at__lte=timezone.now()).order_by("-published_at").first()
    if document is None:
        raise ConsentDocument.DoesNotExist("no consent document is published")
    return document


def consent_document_by_version(version: str) -> ConsentDocument:
    document = ConsentDocument.objects.filter(version=version, published_at__lte=timezone.now()).first()
    if document is None:
        raise Http404
    return document


def memberships_for(user: User) -> list[Membership]:
    if user is None or not user.is_authenticated:
        return []
    return _memberships_of(user_id=user.pk)


@prepared  # compiled once per process (`core.prepared`): every filing form and the cabinet ask it
def _memberships_of(*, user_id):
    return Membership.objects.filter(user_id=user_id).select_related("organisation").order_by("organisation__name")


def organisation_ids_of(user: User) -> tuple[int, ...]:
    """The ids of the organisations the user belongs to (an appeal's customer scope is built from them)."""
    if user is None or not user.is_authenticated:
        return ()
    return tuple(_organisation_ids_of(user_id=user.pk))


@prepared
def _organisation_ids_of(*, user_id):
    return Membership.objects.filter(user_id=user_id).values_list("organisation_id", flat=True)


def membership_for(user: User, organisation_id: int) -> Membership:
    """The user's membership in this organisation, or 404 — for every organisation page."""
    membership = (
        Membership.objects.filter(user=user, organisation_id=organisation_id).select_related("organisation").first()
    )
    if membership is None:
        raise Http404
    return membership


def admin_membership_for(user: User, organisation_id: int) -> Membership:
    membership = membership_for(user, organisation_id)
    if membership.role != Membership.Role.ADMIN:
        raise Http404
    return membership


def organisation_members(organisation_id: int):
    """Members of an organisation, administrators first; a queryset for pagination."""
    return (
        Membership.objects.filter(organisation_id=organisation_id)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name", "user__email")
    )


def organisation_admin_count(organisation_id: int) -> int:
    return Membership.objects.filter(organisation_id=organisation_id, role=Membership.Role.ADMIN).count()


def organisation_pending_invitations(organisation_id: int, *, now=None):
    now = now or timezone.now()
    return (
        Invitation.objects.filter(
            organisation_id=organisation_id, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitation_by_token(token_hash: str) -> Invitation | None:
    return Invitation.objects.filter(token=token_hash).select_related("organisation", "invited_by").first()


def invitations_pending_for(user: User, *, now=None) -> list[Invitation]:
    """Invitations addressed to the user's (confirmed) email that they can still accept."""
    if not user.email_confirmed:
        return []
    now = now or timezone.now()
    return list(
        Invitation.objects.filter(
            email=user.email, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        )
        .exclude(organisation__memberships__user=user)
        .select_related("organisation")
        .order_by("-created_at")
    )


def consents_for(user: User):
    return Consent.objects.filter(user=user).select_related("document").order_by("-given_at")


def consent_summary_for(user: User) -> dict:
    return Consent.objects.filter(user=user).aggregate(
        active=Count("pk", filter=Q(withdrawn_at__isnull=True)),
        withdrawn=Count("pk", filter=Q(withdrawn_at__isnull=False)),
    )


def has_active_consent(user: User, document: ConsentDocument) -> bool:
    return Consent.objects.filter(user=user, document=document, withdrawn_at__isnull=True).exists()


# --- Personal data export (152-ФЗ ст. 14) ---------------------------------------
# Later apps register a section: `register_personal_data_section("appeals", appeals_for_export)`,
# a function of the user returning JSON-serialisable data (no other person's data!).

PersonalDataSection = Callable[[User], object]
_PERSONAL_DATA_SECTIONS: dict[str, PersonalDataSection] = {}


def register_personal_data_section(name: str, section: PersonalDataSection) -> None:
    _PERSONAL_DATA_SECTIONS[name] = section


def _iso(value):
    return value.isoformat() if value else None


def _profile(user: User) -> dict:
    return {
        "email": user.email,
        "last_name": user.last_name,
        "first_name": user.first_name,
        "patronymic": user.patronymic,
        "phone": str(user.phone) if user.phone else "",
        "date_joined": _iso(user.date_joined),
        "email_confirmed_at": _iso(user.email_confirmed_at),
        "last_login": _iso(user.last_login),
    }


def _memberships(user: User) -> list[dict]:
    return [
        {
            "organisation": m.organisation.name,
            "kind": m.organisation.kind,
            "inn": m.organisation.inn,
            "kpp": m.organisation.kpp,
            "ogrn": m.organisation.ogrn,
            "role": m.role,
            "since": _iso(m.created_at),
        }
        for m in memberships_for(user)
    ]


def _consents(user: User) -> list[dict]:
    return [
        {
            "document": c.document.title,
            "version": c.document.version,
            "given_at": _iso(c.given_at),
            "ip_address": c.ip_address,
            "withdrawn_at": _iso(c.withdrawn_at),
        }
        for c in consents_for(user)
    ]


register_personal_data_section("profile", _profile)
register_personal_data_section("memberships", _memberships)
register_personal_data_section("consents", _consents)


def personal_data_export(user: User, *, now=None) -> dict:
    now = now or timezone.now()
    return {
        "exported_at": now.isoformat(),
        **{name: section(user) for name, section in _PERSONAL_DATA_SECTIONS.items()},
    }


def staff_with_permission(perm: str, *, include_superusers: bool = False):
    """Active staff holding `perm` ("app_label.codename"), granted directly or through a group.

    Ids are collected in a subquery so the joins through groups need no DISTINCT.
    """
    from django.contrib.auth.models import Permission

    app_label, codename = perm.split(".", 1)
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    granted = Q(user_permissions__in=permission) | Q(groups__permissions__in=permission)
    if include_superusers:
        granted |= Q(is_superuser=True)
    holders = User.objects.filter(granted).values("pk")
    return User.objects.filter(pk__in=holders, is_active=True, is_staff=True)
