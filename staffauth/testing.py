"""Test helpers: a staff member with a confirmed authenticator, its current code, a verified session."""

from django.core.cache import cache
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from staffauth import selectors


def confirmed_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Тестовое устройство", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def mark_client_verified(client, user) -> None:
    """The test client's session passed the second factor (as django-otp's login would record it)."""
    device = confirmed_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    cache.set(selectors.verified_cache_key(device.persistent_id), user.pk, selectors.VERIFIED_CACHE_SECONDS)
