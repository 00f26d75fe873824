"""Writes: enrolment, checking a code, and an administrator's reset. Each under the user's row lock,
so two requests of one person (or a reset racing a code) never interleave."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from staffauth import selectors
from staffauth.models import SecondFactorReset

AUTHENTICATOR_NAME = "Приложение-аутентификатор"
RECOVERY_NAME = "Коды восстановления"


def _lock(user):
    return get_user_model().objects.select_for_update().get(pk=user.pk)


def normalise_code(code: str) -> str:
    """Codes are typed with spaces or dashes, recovery codes in either case."""
    return "".join(code.split()).replace("-", "").lower()


def start_enrolment(*, user) -> TOTPDevice:
    """The unconfirmed authenticator a staff member is enrolling (made once, kept until confirmed)."""
    with transaction.atomic():
        _lock(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
        return device


def confirm_enrolment(*, user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirms the authenticator with a code from it; returns it and the new recovery codes (shown once)."""
    with transaction.atomic():
        _lock(user)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise ValidationError(_("Приложение-аутентификатор уже подключено: войдите с кодом из него."))
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            raise ValidationError(_("Подключение устарело: откройте страницу подключения ещё раз."))
        if not device.verify_token(normalise_code(code)):
            raise ValidationError(
                {"code": _("Неверный код. Проверьте, что время на телефоне точное, и введите новый код.")}
            )
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        StaticDevice.objects.filter(user=user).delete()
        recovery = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _i in range(settings.STAFFAUTH_RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=recovery, token=c) for c in codes])
        return device, codes


def check_code(*, user, code: str):
    """The confirmed device that accepts this code (a recovery code is used up), or None."""
    code = normalise_code(code)
    if not code:
        return None
    with transaction.atomic():
        _lock(user)
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if code.isdigit() and device.verify_token(code):
                return device
        for device in StaticDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
    return None


def mark_verified(request, device) -> None:
    """This session passed the second factor with `device`; a new session key for the raised privilege."""
    otp_login(request, device)
    request.session.cycle_key()
    cache.set(selectors.verified_cache_key(device.persistent_id), device.user_id, selectors.VERIFIED_CACHE_SECONDS)


# Who reset, when it was done on the server (manage.py reset_second_factor) rather than in the admin.
COMMAND_LINE = "manage.py"


def reset_second_factor(*, actor, user, reason: str = "", now=None) -> SecondFactorReset:
    """Removes every device of a staff member (they enrol again at their next staff page) and records
    who did it, to whom and when. Sessions that passed with a removed device lose the pass at once.

    `actor` None: done from the server's command line (the last administrator lost their phone and codes).
    """
    if actor is not None and not (actor.is_superuser or actor.has_perm("staffauth.add_secondfactorreset")):
        raise PermissionDenied
    with transaction.atomic():
        user = _lock(user)
        if not user.is_staff:
            raise ValidationError({"user": _("Второй фактор есть только у сотрудников.")})
        devices = selectors.devices_for(user)
        for device in devices:
            cache.delete(selectors.verified_cache_key(device.persistent_id))
            device.delete()
        return SecondFactorReset.objects.create(
            user=user,
            user_email=user.email,
            reset_by=actor,
            reset_by_email=actor.email if actor is not None else COMMAND_LINE,
            reset_at=now or timezone.now(),
            reason=reason,
            devices_removed=len(devices),
        )
