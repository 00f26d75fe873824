"""Every change to people, organisations and consents goes through here.

Each function is one transaction. State that two requests could change at once
(an organisation's members, a consent, an invitation) is changed under a row
lock on the organisation or the row itself. Mail goes out after the transaction
block has committed (requests are not wrapped in one), so a rolled-back change
never sends a link; a failed send is logged and the person can ask again.
"""

import hashlib
import logging
import secrets
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import emails, tokens, validators
from accounts.models import ClosureRequest, Consent, ConsentDocument, Invitation, Membership, Organisation, User
from deadlines import services as deadline_services
from deadlines.models import DeadlineRule

logger = logging.getLogger(__name__)

EMAIL_TAKEN = gettext_lazy("Пользователь с такой электронной почтой уже зарегистрирован.")


def _now(now):
    return now or timezone.now()


def _email_taken(email: str, *, exclude_pk=None) -> bool:
    qs = User.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def invitation_token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


# --- Registration and consent ------------------------------------------------


def _user_create(*, email, password, last_name, first_name, patronymic, phone, now) -> User:
    email = User.objects.normalize_email(email).lower()
    if _email_taken(email):
        raise ValidationError({"email": EMAIL_TAKEN})
    user = User(
        email=email, last_name=last_name, first_name=first_name, patronymic=patronymic, phone=phone, date_joined=now
    )
    password_validation.validate_password(password, user=user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # a concurrent registration with the same address won the race
        raise ValidationError({"email": EMAIL_TAKEN}) from exc
    return user


def consent_give(
    *, user: User, document: ConsentDocument, ip_address: str | None, now: datetime | None = None
) -> Consent:
    """Record the person's consent to this version of the text; giving it twice keeps the first."""
    now = _now(now)
    with transaction.atomic():
        existing = Consent.objects.filter(user=user, document=document, withdrawn_at__isnull=True).first()
        if existing is not None:
            return existing
        return Consent.objects.create(user=user, document=document, given_at=now, ip_address=ip_address or None)


def register_resident(
    *,
    email: str,
    password: str,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    phone: str = "",
    consent_document: ConsentDocument,
    ip_address: str | None,
    site_url: str,
    now: datetime | None = None,
) -> User:
    """A resident (физическое лицо) registers; the account waits for email confirmation."""
    now = _now(now)
    with transaction.atomic():
        user = _user_create(
            email=email,
            password=password,
            last_name=last_name,
            first_name=first_name,
            patronymic=patronymic,
            phone=phone,
            now=now,
        )
        consent_give(user=user, document=consent_document, ip_address=ip_address, now=now)
    emails.send_email_confirmation(user, site_url=site_url)
    return user


def register_organisation(
    *,
    kind: str,
    name: str,
    inn: str,
    ogrn: str,
    kpp: str = "",
    legal_address: str = "",
    contact_person: str = "",
    contact_position: str = "",
    email: str,
    password: str,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    phone: str = "",
    consent_document: ConsentDocument,
    ip_address: str | None,
    site_url: str,
    now: datetime | None = None,
) -> Membership:
    """An organisation or a sole proprietor registers; the registering person becomes its administrator."""
    now = _now(now)
    if kind == Organisation.Kind.SOLE_PROPRIETOR:
        kpp = ""
    # The name reaches other people in mail and pages: no links or lures, whichever interface calls.
    validators.validate_organisation_name(name)
    duplicate = ValidationError(
        {"inn": _("Организация с таким ИНН и КПП уже зарегистрирована. Попросите её администратора пригласить вас.")}
    )
    with transaction.atomic():
        if Organisation.objects.filter(inn=inn, kpp=kpp).exists():
            raise duplicate
        user = _user_create(
            email=email,
            password=password,
            last_name=last_name,
            first_name=first_name,
            patronymic=patronymic,
            phone=phone,
            now=now,
        )
        try:
            with transaction.atomic():
                organisation = Organisation.objects.create(
                    kind=kind,
                    name=name,
                    inn=inn,
                    kpp=kpp,
                    ogrn=ogrn,
                    legal_address=legal_address,
                    contact_person=contact_person,
                    contact_position=contact_position,
                )
        except IntegrityError as exc:
            raise duplicate from exc
        membership = Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.ADMIN)
        consent_give(user=user, document=consent_document, ip_address=ip_address, now=now)
    emails.send_email_confirmation(user, site_url=site_url)
    return membership


def email_confirmation_resend(*, email: str, site_url: str) -> None:
    """Send a fresh link if an unconfirmed account has this address; say nothing either way."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True, email_confirmed_at__isnull=True).first()
    if user is not None:
        emails.send_email_confirmation(user, site_url=site_url)


def email_confirm(*, token: str, now: datetime | None = None) -> tuple[User, bool]:
    """Confirm the address the link was sent to. Returns the user and whether this call confirmed it."""
    now = _now(now)
    invalid = ValidationError(_("Ссылка недействительна или устарела. Запросите новое письмо."), code="invalid")
    try:
        user_id, email = tokens.read_email_confirmation_token(token)
    except tokens.TokenInvalid as exc:
        raise invalid from exc
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if user is None or user.email != email:
            raise invalid
        if user.email_confirmed_at is not None:
            return user, False
        user.email_confirmed_at = now
        user.save(update_fields=["email_confirmed_at"])
    return user, True


# --- Profile -----------------------------------------------------------------


def profile_update(*, user: User, last_name: str, first_name: str, patronymic: str, phone: str) -> User:
    with transaction.atomic():
        user.last_name, user.first_name, user.patronymic, user.phone = last_name, first_name, patronymic, phone
        user.save(update_fields=["last_name", "first_name", "patronymic", "phone"])
    return user


def email_change_request(*, user: User, new_email: str, site_url: str) -> None:
    """Send a confirmation to the new address; the login changes only when it is confirmed."""
    new_email = User.objects.normalize_email(new_email).lower()
    if new_email == user.email:
        raise ValidationError({"email": _("Это ваш текущий адрес.")})
    if _email_taken(new_email, exclude_pk=user.pk):
        raise ValidationError({"email": EMAIL_TAKEN})
    emails.send_email_change_confirmation(user, new_email, site_url=site_url)


def email_change_confirm(*, token: str, now: datetime | None = None) -> User:
    now = _now(now)
    invalid = ValidationError(_("Ссылка недействительна, устарела или уже использована."), code="invalid")
    try:
        change = tokens.read_email_change_token(token)
    except tokens.TokenInvalid as exc:
        raise invalid from exc
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=change.user_id, is_active=True).first()
        if user is None or user.email != change.old_email:
            raise invalid
        if _email_taken(change.new_email, exclude_pk=user.pk):
            raise ValidationError(EMAIL_TAKEN, code="taken")
        user.email = change.new_email
        user.email_confirmed_at = now
        try:
            with transaction.atomic():
                user.save(update_fields=["email", "email_confirmed_at"])
        except IntegrityError as exc:
            raise ValidationError(EMAIL_TAKEN, code="taken") from exc
    emails.send_email_change_notice(user, change.old_email)
    return user


# --- Consent withdrawal and account closure -----------------------------------


CLOSURE_RULE_CODE = "pd.consent_withdrawal"


def closure_due_at(now: datetime) -> datetime:
    """When processing must stop after a withdrawal: the shared rules table's "pd.consent_withdrawal".

    Without an active rule we still owe the person the statutory term (at most 30 days,
    152-ФЗ ст. 21 ч. 5), so a withdrawal never fails: the end of the 30th day, and an error
    in the log for staff to restore the rule.
    """
    try:
        rule = deadline_services.rule_for(CLOSURE_RULE_CODE)
    except DeadlineRule.DoesNotExist:
        logger.error("no active deadline rule %r: using the statutory 30 days", CLOSURE_RULE_CODE)
        tz = timezone.get_default_timezone()
        last_day = timezone.localtime(now, tz).date() + timedelta(days=settings.ACCOUNTS_CLOSURE_DAYS)
        return datetime.combine(last_day, time.max, tzinfo=tz)
    return deadline_services.deadline_for(rule, received_at=now, registered_at=now)


def consent_withdraw(*, user: User, consent_id: int, now: datetime | None = None) -> ClosureRequest:
    """Withdraw a consent; staff get a closure request due in 30 days."""
    now = _now(now)
    with transaction.atomic():
        consent = Consent.objects.select_for_update().filter(pk=consent_id, user=user).first()
        if consent is None:
            raise Consent.DoesNotExist
        if consent.withdrawn_at is not None:
            raise ValidationError(_("Это согласие уже отозвано."), code="already_withdrawn")
        consent.withdrawn_at = now
        consent.save(update_fields=["withdrawn_at"])
        return ClosureRequest.objects.create(user=user, consent=consent, created_at=now, due_at=closure_due_at(now))


def closure_request_resolve(
    *, closure_request_id: int, staff_user: User, status: str, comment: str = "", now: datetime | None = None
) -> ClosureRequest:
    """Staff close a request: done (processing stopped, the account is deactivated) or rejected.

    Done also ends the person's memberships; if they were an organisation's only
    administrator, staff appoint another one in the admin.
    """
    now = _now(now)
    if status not in (ClosureRequest.Status.DONE, ClosureRequest.Status.REJECTED):
        raise ValueError(status)
    with transaction.atomic():
        closure = ClosureRequest.objects.select_for_update().get(pk=closure_request_id)
        if closure.status != ClosureRequest.Status.OPEN:
            raise ValidationError(_("Запрос уже закрыт."), code="closed")
        closure.status = status
        closure.resolved_at = now
        closure.resolved_by = staff_user
        if comment:
            closure.staff_comment = comment
        closure.save(update_fields=["status", "resolved_at", "resolved_by", "staff_comment"])
        if status == ClosureRequest.Status.DONE:
            User.objects.filter(pk=closure.user_id).update(is_active=False)
            Membership.objects.filter(user_id=closure.user_id).delete()
    return closure


# --- Organisations: invitations and members ------------------------------------


def _lock_organisation_as_admin(actor: User, organisation_id: int) -> Organisation:
    """Lock the organisation's row (serialising changes to its members) and check the actor administers it."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    if not Membership.objects.filter(user=actor, organisation=organisation, role=Membership.Role.ADMIN).exists():
        raise PermissionDenied
    return organisation


def _admin_count(organisation) -> int:
    return Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN).count()


LAST_ADMIN = gettext_lazy(
    "В организации должен остаться хотя бы один администратор. Сначала назначьте другого администратора."
)


def invitation_send(
    *, actor: User, organisation_id: int, email: str, role: str, site_url: str, now: datetime | None = None
) -> Invitation:
    """Invite a colleague by email; an earlier pending invitation to the same address is revoked."""
    now = _now(now)
    email = User.objects.normalize_email(email).lower()
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Выберите роль из списка.")})
    raw_token = secrets.token_urlsafe(32)
    with transaction.atomic():
        organisation = _lock_organisation_as_admin(actor, organisation_id)
        # Counted under the organisation's row lock, so parallel requests cannot overshoot the limit.
        limit = settings.ACCOUNTS_INVITATIONS_PER_DAY
        sent_today = Invitation.objects.filter(organisation=organisation, created_at__gte=now - timedelta(days=1))
        if sent_today.count() >= limit:
            raise ValidationError(
                _(
                    "За сутки организация может отправить не больше %(limit)d приглашений, и этот предел исчерпан. "
                    "Отправьте остальные приглашения завтра или обратитесь в службу поддержки."
                )
                % {"limit": limit},
                code="invitation_limit",
            )
        if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
            raise ValidationError({"email": _("Этот человек уже сотрудник организации в личном кабинете.")})
        Invitation.objects.filter(
            organisation=organisation, email=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            token=invitation_token_hash(raw_token),
            invited_by=actor,
            expires_at=now + timedelta(seconds=settings.ACCOUNTS_INVITATION_MAX_AGE),
        )
    emails.send_invitation(invitation, raw_token, site_url=site_url)
    return invitation


def invitation_revoke(*, actor: User, organisation_id: int, invitation_id: int, now: datetime | None = None) -> None:
    now = _now(now)
    with transaction.atomic():
        organisation = _lock_organisation_as_admin(actor, organisation_id)
        invitation = Invitation.objects.select_for_update().get(pk=invitation_id, organisation=organisation)
        if invitation.accepted_at is not None or invitation.revoked_at is not None:
            raise ValidationError(_("Приглашение уже принято или отозвано."), code="closed")
        invitation.revoked_at = now
        invitation.save(update_fields=["revoked_at"])


def invitation_accept(*, user: User, raw_token: str, now: datetime | None = None) -> Membership:
    """Join the organisation by the link from the mail, once."""
    return _invitation_accept(user=user, lookup={"token": invitation_token_hash(raw_token)}, now=_now(now))


def invitation_accept_by_id(*, user: User, invitation_id: int, now: datetime | None = None) -> Membership:
    """Join from the cabinet: the invitation was addressed to this user's confirmed email."""
    if not user.email_confirmed:
        raise Invitation.DoesNotExist
    return _invitation_accept(user=user, lookup={"pk": invitation_id, "email": user.email}, now=_now(now))


def _invitation_accept(*, user: User, lookup: dict, now: datetime) -> Membership:
    # Only the account the invitation was addressed to can accept it: a forwarded link is of no use.
    invalid = ValidationError(_("Приглашение недействительно: оно устарело, отозвано или уже принято."), code="invalid")
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(**lookup).first()
        if invitation is None:
            raise Invitation.DoesNotExist
        if not invitation.is_pending(now):
            raise invalid
        if invitation.email != user.email.lower():
            raise ValidationError(
                _("Приглашение отправлено на другой адрес. Войдите с той почтой, на которую пришло письмо."),
                code="wrong_user",
            )
        Organisation.objects.select_for_update().get(pk=invitation.organisation_id)
        membership, _created = Membership.objects.get_or_create(
            user=user, organisation_id=invitation.organisation_id, defaults={"role": invitation.role}
        )
        invitation.accepted_at = now
        invitation.save(update_fields=["accepted_at"])
    return membership


def membership_set_role(*, actor: User, organisation_id: int, membership_id: int, role: str) -> Membership:
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Выберите роль из списка.")})
    with transaction.atomic():
        organisation = _lock_organisation_as_admin(actor, organisation_id)
        membership = Membership.objects.get(pk=membership_id, organisation=organisation)
        if (
            membership.role == Membership.Role.ADMIN
            and role != Membership.Role.ADMIN
            and _admin_count(organisation) == 1
        ):
            raise ValidationError(LAST_ADMIN, code="last_admin")
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def membership_set_may_submit_readings(
    *, actor: User, organisation_id: int, membership_id: int, allowed: bool
) -> Membership:
    """An administrator lets a member submit the organisation's meter readings, or stops them.

    Administrators always may (contracts.access); the flag matters for members only.
    """
    with transaction.atomic():
        organisation = _lock_organisation_as_admin(actor, organisation_id)
        membership = Membership.objects.get(pk=membership_id, organisation=organisation)
        if membership.may_submit_readings != allowed:
            membership.may_submit_readings = allowed
            membership.save(update_fields=["may_submit_readings"])
    return membership


def membership_set_may_see_finances(
    *, actor: User, organisation_id: int, membership_id: int, allowed: bool
) -> Membership:
    """An administrator lets a member see the organisation's balances, charges and documents, or stops them.

    Administrators always may (billing.access); the flag matters for members only.
    """
    with transaction.atomic():
        organisation = _lock_organisation_as_admin(actor, organisation_id)
        membership = Membership.objects.get(pk=membership_id, organisation=organisation)
        if membership.may_see_finances != allowed:
            membership.may_see_finances = allowed
            membership.save(update_fields=["may_see_finances"])
    return membership


def membership_remove(*, actor: User, organisation_id: int, membership_id: int) -> None:
    """An administrator removes a colleague; access ends with their next request."""
    with transaction.atomic():
        organisation = _lock_organisation_as_admin(actor, organisation_id)
        membership = Membership.objects.get(pk=membership_id, organisation=organisation)
        if membership.role == Membership.Role.ADMIN and _admin_count(organisation) == 1:
            raise ValidationError(LAST_ADMIN, code="last_admin")
        membership.delete()


def membership_leave(*, user: User, organisation_id: int) -> None:
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
        membership = Membership.objects.get(user=user, organisation=organisation)
        if membership.role == Membership.Role.ADMIN and _admin_count(organisation) == 1:
            raise ValidationError(LAST_ADMIN, code="last_admin")
        membership.delete()
