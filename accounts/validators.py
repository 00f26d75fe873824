"""Russian identifiers and phone numbers: our own validators (design §2.3).

Each `validate_*` raises ValidationError with a Russian message; `*_is_valid`
answers yes or no for code that only needs to know. Input is expected already
stripped of surrounding spaces (forms do that); nothing here guesses.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_KPP_RE = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")
_PHONE_SEPARATORS_RE = re.compile(r"[\s()\-.]")


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 % 10


def _digits(value: str, length: int) -> bool:
    # str.isdigit() accepts superscripts and other scripts' digits; we want ASCII 0-9 only.
    return len(value) == length and value.isascii() and value.isdigit()


def inn_is_valid(value: str) -> bool:
    """ИНН of an organisation (10 digits) or of a person / sole proprietor (12 digits)."""
    if _digits(value, 10):
        return _check_digit(value[:9], _INN10_WEIGHTS) == int(value[9])
    if _digits(value, 12):
        return _check_digit(value[:10], _INN12_WEIGHTS_11) == int(value[10]) and _check_digit(
            value[:11], _INN12_WEIGHTS_12
        ) == int(value[11])
    return False


def kpp_is_valid(value: str) -> bool:
    return bool(_KPP_RE.match(value))


def ogrn_is_valid(value: str) -> bool:
    """ОГРН of an organisation: 13 digits, the last is (first 12 as a number) mod 11 mod 10."""
    return _digits(value, 13) and int(value[:12]) % 11 % 10 == int(value[12])


def ogrnip_is_valid(value: str) -> bool:
    """ОГРНИП: 15 digits, the last is the last digit of (first 14 as a number) mod 13."""
    return _digits(value, 15) and int(value[:14]) % 13 % 10 == int(value[14])


def validate_inn_organisation(value: str) -> None:
    if not _digits(value, 10):
        raise ValidationError(_("ИНН организации состоит из 10 цифр."), code="inn_length")
    if not inn_is_valid(value):
        raise ValidationError(_("Неверный ИНН: не сходится контрольная цифра. Проверьте номер."), code="inn_checksum")


def validate_inn_person(value: str) -> None:
    if not _digits(value, 12):
        raise ValidationError(_("ИНН физического лица и ИП состоит из 12 цифр."), code="inn_length")
    if not inn_is_valid(value):
        raise ValidationError(_("Неверный ИНН: не сходятся контрольные цифры. Проверьте номер."), code="inn_checksum")


def validate_kpp(value: str) -> None:
    if not kpp_is_valid(value):
        raise ValidationError(
            _("КПП состоит из 9 символов: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры."), code="kpp"
        )


def validate_ogrn(value: str) -> None:
    if not _digits(value, 13):
        raise ValidationError(_("ОГРН состоит из 13 цифр."), code="ogrn_length")
    if not ogrn_is_valid(value):
        raise ValidationError(_("Неверный ОГРН: не сходится контрольная цифра. Проверьте номер."), code="ogrn_checksum")


def validate_ogrnip(value: str) -> None:
    if not _digits(value, 15):
        raise ValidationError(_("ОГРНИП состоит из 15 цифр."), code="ogrnip_length")
    if not ogrnip_is_valid(value):
        raise ValidationError(
            _("Неверный ОГРНИП: не сходится контрольная цифра. Проверьте номер."), code="ogrnip_checksum"
        )


def normalise_phone(value: str) -> str:
    """A Russian phone number in E.164 (+7 and 10 digits); a leading 8 or 7 becomes +7.

    Spaces, brackets, dots and dashes are ignored: «8 (916) 123-45-67» → «+79161234567».
    """
    compact = _PHONE_SEPARATORS_RE.sub("", value or "")
    if compact.startswith("+7"):
        national = compact[2:]
    elif len(compact) == 11 and compact[0] in "78":
        national = compact[1:]
    else:
        national = None
    if national is None or not _digits(national, 10):
        raise ValidationError(
            _("Введите российский номер телефона: +7 и 10 цифр, например +7 916 123-45-67."), code="phone"
        )
    return "+7" + national
