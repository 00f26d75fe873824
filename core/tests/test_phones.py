"""The one phone normaliser: table tests (design §2.3)."""

import pytest
from django.core.exceptions import ValidationError

from core.phones import PhoneField, normalise_phone

ACCEPTED = [
    ("+79161234567", "+79161234567"),
    ("89161234567", "+79161234567"),
    ("79161234567", "+79161234567"),
    ("8 (916) 123-45-67", "+79161234567"),
    ("+7 916 123 45 67", "+79161234567"),
    ("+7.916.123.45.67", "+79161234567"),
    ("+7 (495) 123-45-67", "+74951234567"),
    ("8\u00a0916\u00a0123\u00a045\u00a067", "+79161234567"),  # no-break spaces, as pasted from a page
]

REJECTED = [
    "",
    "9161234567",  # 10 digits without a country code: ambiguous, ask for the full number
    "+7916123456",  # one digit short
    "+791612345678",  # one digit too many
    "+19161234567",  # another country
    "69161234567",
    "8916123456a",
    "+7 916 123-45-67 доб. 12",
    "+7916123456\n7",
    "+7\u0669\u0661\u0666\u0661\u0662\u0663\u0664\u0665\u0666\u0667",  # Arabic-Indic digits
    "+7９１６１２３４５６７",  # fullwidth digits
    "+7916¹234567",  # a superscript passes str.isdigit()
    "++79161234567",
    "+7+9161234567",
]


@pytest.mark.parametrize(("raw", "normalised"), ACCEPTED)
def test_accepted_numbers_become_e164(raw, normalised):
    assert normalise_phone(raw) == normalised


@pytest.mark.parametrize("raw", REJECTED)
def test_rejected_numbers_get_the_russian_message(raw):
    with pytest.raises(ValidationError) as info:
        normalise_phone(raw)
    assert info.value.code == "phone"
    assert "+7 и 10 цифр" in info.value.messages[0]


@pytest.mark.parametrize("raw", [None, 79161234567, b"+79161234567"])
def test_not_a_string_is_a_validation_error_not_a_type_error(raw):
    with pytest.raises(ValidationError):
        normalise_phone(raw)


def test_form_field_cleans_to_e164_or_empty():
    field = PhoneField(required=False)
    assert field.clean("8 916 123-45-67") == "+79161234567"
    assert field.clean("") == ""
    assert field.widget_attrs(field.widget)["inputmode"] == "tel"
    with pytest.raises(ValidationError):
        field.clean("звоните")
    with pytest.raises(ValidationError):
        PhoneField().clean("")

