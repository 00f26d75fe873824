"""Binding a personal account or a contract to a login, and unbinding it.

A resident binds their personal account (a residential contract) with its number and the code printed
on the bill; an organisation's administrator binds the organisation's contracts the same way, and only
those whose ИНН is the organisation's. Every attempt is recorded (`BindingAttempt`).

Guessing is stopped per pair (login, number): CONTRACTS_BINDING_ATTEMPTS failures within
CONTRACTS_BINDING_LOCK_SECONDS lock that pair for CONTRACTS_BINDING_LOCK_SECONDS. The pair is per login,
so a stranger's failures never lock out the rightful owner; when a pair gets locked, the contract's bound
owner (if any) is told through the outbox. A wrong number, a wrong code, somebody else's contract and a
contract of the wrong kind all get the same message: the form never confirms that a number exists.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organisation
from accounts.validators import personal_account_is_valid
from contracts import access
from contracts.codes import binding_code_matches
from contracts.models import BindingAttempt, Contract, ContractBinding

NOT_MATCHED = _(
    "Не удалось привязать: номер или код привязки не подходят. Проверьте их по квитанции (или по договору) "
    "и введите ещё раз. Если всё введено верно, позвоните в контактный центр."
)
LOCKED = _(
    "Слишком много неудачных попыток для этого номера. Попробовать снова можно после %(until)s "
    "(по московскому времени)."
)
USER_LOCKED = _(
    "Слишком много неудачных попыток привязки за последний час. Попробовать снова можно после %(until)s "
    "(по московскому времени)."
)
BAD_ACCOUNT_FORMAT = _("Неверный номер лицевого счёта. Проверьте его по квитанции.")
EMPTY_NUMBER = _("Укажите номер.")
LONG_NUMBER = _("Такого длинного номера не бывает: проверьте его по квитанции или договору.")
ALREADY_YOURS = _("Этот лицевой счёт уже привязан к вашему кабинету.")
ALREADY_ORGANISATION = _("Этот договор уже привязан к организации.")
TERMINATED = _("Договор расторгнут, привязать его нельзя. Если это ошибка, позвоните в контактный центр.")
INN_MISMATCH = _("ИНН в договоре не совпадает с ИНН организации: привязать договор к ней нельзя.")
NOT_ADMIN = _("Привязывать договоры организации может только её администратор.")


class Reason:
    """Why an attempt failed, as recorded in `BindingAttempt.reason`."""

    BAD_FORMAT = "bad_format"
    NO_SUCH_NUMBER = "no_such_number"
    WRONG_CODE = "wrong_code"
    BOUND_ELSEWHERE = "bound_elsewhere"
    WRONG_KIND = "wrong_kind"
    INN_MISMATCH = "inn_mismatch"
    TERMINATED = "terminated"
    ALREADY_YOURS = "already_yours"
    LOCKED = "locked"


# Failures that count towards the lock: the ones a guesser produces. A typo in the number's format,
# re-binding one's own contract and attempts refused by the lock itself do not.
COUNTED = (
    Reason.NO_SUCH_NUMBER, Reason.WRONG_CODE, Reason.BOUND_ELSEWHERE, Reason.WRONG_KIND, Reason.INN_MISMATCH,
    Reason.TERMINATED,
)  # fmt: skip


def normalise_number(raw: str) -> str:
    return re.sub(r"\s+", "", raw or "")


def _lock_seconds() -> int:
    return settings.CONTRACTS_BINDING_LOCK_SECONDS


def _latest_failures_lock(failures: list[datetime], limit: int, now: datetime) -> datetime | None:
    """The end of the lock when the latest `limit` failures (newest first) fall within the lock time."""
    window = timedelta(seconds=_lock_seconds())
    if limit < 1 or len(failures) < limit or failures[0] - failures[-1] > window:
        return None
    until = failures[0] + window
    return until if until > now else None


def user_locked_until(user, *, now: datetime) -> datetime | None:
    """When a login that failed at many different numbers may try again (None: it may try now)."""
    limit = settings.CONTRACTS_BINDING_USER_ATTEMPTS
    window = timedelta(seconds=_lock_seconds())
    failures = list(
        BindingAttempt.objects.filter(user=user, succeeded=False, reason__in=COUNTED, created_at__gt=now - 2 * window)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    return _latest_failures_lock(failures, limit, now)


def locked_until(user, number: str, *, now: datetime) -> datetime | None:
    """When the pair (user, number) may try again, or None when it may try now.

    The pair locks when the latest CONTRACTS_BINDING_ATTEMPTS counted failures fall within the lock time;
    the lock lasts that long from the failure that completed them (attempts refused by the lock are not
    failures, so that one stays the latest).
    """
    limit = settings.CONTRACTS_BINDING_ATTEMPTS
    window = timedelta(seconds=_lock_seconds())
    failures = list(
        BindingAttempt.objects.filter(
            user=user, number=number, succeeded=False, reason__in=COUNTED, created_at__gt=now - 2 * window
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    return _latest_failures_lock(failures, limit, now)


@dataclass
class _Outcome:
    binding: ContractBinding | None = None
    error: ValidationError | None = None


def _locked_error(until: datetime, message=LOCKED) -> ValidationError:
    local = timezone.localtime(until)
    return ValidationError(message % {"until": local.strftime("%d.%m.%Y %H:%M")}, code="locked")


def _refuse(user, number, contract, reason, *, organisation, ip, now, message, code="not_matched") -> _Outcome:
    BindingAttempt.objects.create(
        user=user, organisation=organisation, number=number, contract=contract, succeeded=False,
        reason=reason, ip_address=ip, created_at=now,
    )  # fmt: skip
    if reason in COUNTED:
        until = locked_until(user, number, now=now)
        if until is not None:
            # This failure locked the pair: its owner hears of it once, now (not of every failure).
            if contract is not None:
                _tell_owner(contract, now=now, until=until)
            return _Outcome(error=_locked_error(until))
    return _Outcome(error=ValidationError(message, code=code))


def _bind(user, raw_number, code, ip, *, organisation, now) -> ContractBinding:
    now = now or timezone.now()
    number = normalise_number(raw_number)
    if not number:
        raise ValidationError({"number": EMPTY_NUMBER})
    if len(number) > Contract._meta.get_field("number").max_length:
        raise ValidationError({"number": LONG_NUMBER})
    with transaction.atomic():
        # One person's attempts run one at a time, so the count the lock reads is exact.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        outcome = _attempt(user, number, code, ip, organisation=organisation, now=now)
    # The attempt row is committed before the refusal is raised: failures count even though they fail.
    if outcome.error is not None:
        raise outcome.error
    return outcome.binding


def _attempt(user, number, code, ip, *, organisation, now) -> _Outcome:
    def refuse(contract, reason, message=NOT_MATCHED, error_code="not_matched"):
        return _refuse(
            user, number, contract, reason, organisation=organisation, ip=ip, now=now, message=message,
            code=error_code,
        )  # fmt: skip

    user_until = user_locked_until(user, now=now)
    until = user_until or locked_until(user, number, now=now)
    if until is not None:
        BindingAttempt.objects.create(
            user=user, organisation=organisation, number=number, succeeded=False, reason=Reason.LOCKED,
            ip_address=ip, created_at=now,
        )  # fmt: skip
        return _Outcome(error=_locked_error(until, USER_LOCKED if user_until else LOCKED))
    if organisation is None and not personal_account_is_valid(number):
        return refuse(None, Reason.BAD_FORMAT, ValidationError({"number": BAD_ACCOUNT_FORMAT}), "bad_format")

    # The row lock: two people typing the same number and code never both bind it.
    contract = Contract.objects.select_for_update().filter(number=number).first()
    if not binding_code_matches(contract, code):
        return refuse(contract, Reason.NO_SUCH_NUMBER if contract is None else Reason.WRONG_CODE)
    active = ContractBinding.objects.filter(contract=contract, unbound_at__isnull=True).first()
    if active is not None:
        if organisation is None and active.user_id == user.pk:
            return refuse(contract, Reason.ALREADY_YOURS, ALREADY_YOURS, "already_bound")
        if organisation is not None and active.organisation_id == organisation.pk:
            return refuse(contract, Reason.ALREADY_YOURS, ALREADY_ORGANISATION, "already_bound")
        return refuse(contract, Reason.BOUND_ELSEWHERE)
    if organisation is None:
        if not contract.is_residential:
            return refuse(contract, Reason.WRONG_KIND)
    elif not contract.inn or contract.inn != organisation.inn:
        return refuse(contract, Reason.INN_MISMATCH, INN_MISMATCH, "inn_mismatch")
    if contract.status == Contract.Status.TERMINATED:
        return refuse(contract, Reason.TERMINATED, TERMINATED, "terminated")

    binding = ContractBinding.objects.create(
        contract=contract,
        user=None if organisation is not None else user,
        organisation=organisation,
        bound_at=now,
        bound_by=user,
    )
    BindingAttempt.objects.create(
        user=user, organisation=organisation, number=number, contract=contract, succeeded=True, ip_address=ip,
        created_at=now,
    )  # fmt: skip
    return _Outcome(binding=binding)


def bind_personal_account(user, number: str, code: str, ip: str | None = None, *, now=None) -> ContractBinding:
    """A resident binds their personal account (a residential contract) to their login."""
    return _bind(user, number, code, ip, organisation=None, now=now)


def bind_organisation_contract(
    user, organisation: Organisation, number: str, code: str, ip: str | None = None, *, now=None
) -> ContractBinding:
    """An organisation's administrator binds one of its contracts (the contract's ИНН must be the organisation's)."""
    if not Membership.objects.filter(user=user, organisation=organisation, role=Membership.Role.ADMIN).exists():
        raise ValidationError({"organisation": NOT_ADMIN}, code="not_admin")
    return _bind(user, number, code, ip, organisation=organisation, now=now)


def may_unbind(user, contract) -> bool:
    """The resident the contract is bound to, or an administrator of the organisation it is bound to."""
    binding = ContractBinding.objects.filter(contract=contract, unbound_at__isnull=True).first()
    if binding is None:
        return False
    if binding.user_id is not None:
        return binding.user_id == user.pk
    return Membership.objects.filter(
        user=user, organisation_id=binding.organisation_id, role=Membership.Role.ADMIN
    ).exists()


def unbind(user, number: str, *, now=None) -> Contract:
    """End the contract's binding. Http404 when the user does not see it; PermissionDenied when they see it
    but may not unbind it (an organisation's member who is not its administrator)."""
    now = now or timezone.now()
    with transaction.atomic():
        contract = access.contracts_for_customer(user).select_for_update(of=("self",)).filter(number=number).first()
        if contract is None:
            raise Http404
        if not may_unbind(user, contract):
            raise PermissionDenied
        end_binding(contract, now=now, by=user)
    return contract


def end_binding(contract, *, now, by=None) -> ContractBinding | None:
    """End the contract's active binding (at most one: a unique constraint) under its row lock, saving the row so
    the audit trail (audit.history) records the change and who made it (`by`; else the request's user)."""
    binding = ContractBinding.objects.select_for_update().filter(contract=contract, unbound_at__isnull=True).first()
    if binding is None:
        return None
    binding.unbound_at = now
    if by is not None:
        binding._history_user = by  # simple-history's way to name the author outside a request
    binding.save(update_fields=["unbound_at"])
    return binding


# --- telling the owner ---------------------------------------------------------------------


def _owners(binding) -> list:
    if binding.user_id is not None:
        return [binding.user] if binding.user.is_active else []
    admins = Membership.objects.filter(
        organisation_id=binding.organisation_id, role=Membership.Role.ADMIN, user__is_active=True
    ).select_related("user")
    return [m.user for m in admins.order_by("pk")]


def _tell_owner(contract, *, now, until) -> None:
    from notifications.services import notify  # the outbox; imported late like accounts.login_guard does

    binding = ContractBinding.objects.filter(contract=contract, unbound_at__isnull=True).select_related("user").first()
    if binding is None:
        return
    for owner in _owners(binding):
        notify(
            recipient=owner,
            event="contracts.binding_attempts",
            context={
                "number": contract.number,
                "residential": contract.is_residential,
                "attempts": settings.CONTRACTS_BINDING_ATTEMPTS,
                "at": timezone.localtime(now),
                "until": timezone.localtime(until),
            },
            dedup_key=f"contracts.binding_attempts:{contract.pk}:{until:%Y%m%d%H%M%S}:user:{owner.pk}",
            link=reverse("contracts:detail", args=[contract.number]),
            now=now,
        )
