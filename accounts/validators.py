r"""Russian identifiers and phone numbers: our own validators (design §2.3).

Each `validate_*` raises ValidationError with a Russian message; `*_is_valid`
answers yes or no for code that only needs to know. Input is expected already
stripped of surrounding spaces (forms do that); nothing here guesses.

Only ASCII digits 0-9 count as digits: `\d` and `str.isdigit()` also accept
Arabic-Indic, fullwidth and superscript digits, and `$` matches before a
trailing newline, so patterns use explicit classes and `fullmatch`. Anything
that is not a string (None, a number) is simply invalid: a ValidationError,
never a TypeError.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_KPP_RE = re.compile(r"[0-9]{4}[0-9A-Z]{2}[0-9]{3}")


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 % 10


def _digits(value, length: int) -> bool:
    # str.isdigit() accepts superscripts and other scripts' digits; we want ASCII 0-9 only.
    return isinstance(value, str) and len(value) == length and value.isascii() and value.isdigit()


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
    return isinstance(value, str) and _KPP_RE.fullmatch(value) is not None


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


def personal_account_is_valid(value: str) -> bool:
    """The supplier's personal account number format (settings.PERSONAL_ACCOUNT_REGEX), whole string, ASCII."""
    if not isinstance(value, str):
        return False
    # re.ASCII keeps `\d` to 0-9 and fullmatch refuses a trailing newline, whatever the configured pattern says.
    return re.fullmatch(settings.PERSONAL_ACCOUNT_REGEX, value, re.ASCII) is not None


def validate_personal_account(value: str) -> None:
    if not personal_account_is_valid(value):
        raise ValidationError(
            _("Неверный номер лицевого счёта. Проверьте его по квитанции."), code="personal_account"
        )


# An organisation's name reaches other people (invitations, the cabinet), so it must not be able to carry a
# phishing lure in the company's name: no links, domains, email addresses, phone numbers or sums of money.
_NAME_LURES = (
    re.compile(r"[a-z][a-z0-9+.\-]*://|\bwww\.", re.IGNORECASE),  # a URL
    re.compile(r"@|＠"),  # an email address or a handle
    # something.tld: a dot glued to a Latin top-level domain or a Cyrillic one ("Co. Ltd" with a space is fine)
    re.compile(r"[^\s.]\.(?:[a-z]{2,}|рф|рус|москва|онлайн|сайт|орг|ком|дети)(?![^\W_])", re.IGNORECASE),
    re.compile(r"(?:\d[\s\-().]*){7,}"),  # a phone or card number: seven digits or more, however split
    re.compile(r"\d\s*(?:руб|р\.|₽|rub|usd|\$|€)", re.IGNORECASE),  # a sum of money
    re.compile(r"[\x00-\x1f\x7f\u2028\u2029]"),  # line breaks and control characters
)


def organisation_name_is_acceptable(value: str) -> bool:
    return isinstance(value, str) and not any(pattern.search(value) for pattern in _NAME_LURES)


def validate_organisation_name(value: str) -> None:
    if not organisation_name_is_acceptable(value):
        raise ValidationError(
            _(
                "Наименование не может содержать ссылки, адреса сайтов и электронной почты, номера телефонов "
                "или суммы. Укажите наименование так, как оно записано в ЕГРЮЛ или ЕГРИП."
            ),
            code="organisation_name",
        )


def validate_person_name(value: str) -> None:
    """A person's name reaches others too (an invitation says who invites): the same lures are refused."""
    if not organisation_name_is_acceptable(value):
        raise ValidationError(
            _("Имя не может содержать ссылки, адреса сайтов и электронной почты, номера телефонов или суммы."),
            code="person_name",
        )
