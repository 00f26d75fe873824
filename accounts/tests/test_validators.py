import pytest
from django.core.exceptions import ValidationError

from accounts import validators

INN = [
    ("7707083893", True),  # ПАО Сбербанк
    ("7736207543", True),  # ООО «Яндекс»
    ("7728168971", True),  # АО «Альфа-Банк»
    ("500100732259", True),  # a person's ИНН, the common public example
    ("7707083894", False),  # check digit off by one
    ("7707083892", False),
    ("500100732258", False),  # 12th digit off by one
    ("500100732269", False),  # 11th digit off by one
    ("770708389", False),  # 9 digits
    ("77070838933", False),  # 11 digits
    ("", False),
    ("77070838a3", False),
    ("７７０７０８３８９３", False),  # full-width digits are digits to Python, not to us
    ("0000000000", True),
]


@pytest.mark.parametrize(("value", "valid"), INN)
def test_inn(value, valid):
    assert validators.inn_is_valid(value) is valid


OGRN = [
    ("1027700132195", True),  # ПАО Сбербанк
    ("1027739642281", True),  # АО «Альфа-Банк»
    ("1027700070518", True),  # ПАО «Газпром»
    ("1027700132194", False),
    ("1027700132196", False),
    ("102770013219", False),
    ("10277001321955", False),
    ("102770013219x", False),
]


@pytest.mark.parametrize(("value", "valid"), OGRN)
def test_ogrn(value, valid):
    assert validators.ogrn_is_valid(value) is valid


OGRNIP = [
    ("304500116000157", True),  # the common public example
    ("316861700133226", True),
    ("304500116000156", False),
    ("304500116000158", False),
    # A check computed mod 11 (the popular library's mistake) must not pass.
    ("31686170013322" + str(int("31686170013322") % 11 % 10), False),
    ("30450011600015", False),
    ("3045001160001570", False),
]


@pytest.mark.parametrize(("value", "valid"), OGRNIP)
def test_ogrnip(value, valid):
    assert validators.ogrnip_is_valid(value) is valid


KPP = [
    ("773601001", True),
    ("7736AB001", True),
    ("7736ab001", False),
    ("77360100", False),
    ("7736010011", False),
    ("7736-1001", False),
    ("AB3601001", False),
]


@pytest.mark.parametrize(("value", "valid"), KPP)
def test_kpp(value, valid):
    assert validators.kpp_is_valid(value) is valid


PHONES = [
    ("+79161234567", "+79161234567"),
    ("89161234567", "+79161234567"),
    ("79161234567", "+79161234567"),
    ("8 (916) 123-45-67", "+79161234567"),
    ("+7 916 123 45 67", "+79161234567"),
    ("+7.916.123.45.67", "+79161234567"),
]


@pytest.mark.parametrize(("raw", "normalised"), PHONES)
def test_phone_normalised_to_e164(raw, normalised):
    assert validators.normalise_phone(raw) == normalised


@pytest.mark.parametrize(
    "raw", ["9161234567", "+7916123456", "+791612345678", "+19161234567", "69161234567", "8916123456a", ""]
)
def test_phone_rejected(raw):
    with pytest.raises(ValidationError) as info:
        validators.normalise_phone(raw)
    assert "+7" in info.value.messages[0]


@pytest.mark.parametrize(
    ("validator", "value", "message"),
    [
        (validators.validate_inn_organisation, "500100732259", "10 цифр"),
        (validators.validate_inn_organisation, "7707083894", "контрольная цифра"),
        (validators.validate_inn_person, "7707083893", "12 цифр"),
        (validators.validate_inn_person, "500100732258", "контрольные цифры"),
        (validators.validate_ogrn, "102770013219", "13 цифр"),
        (validators.validate_ogrn, "1027700132194", "контрольная цифра"),
        (validators.validate_ogrnip, "1027700132195", "15 цифр"),
        (validators.validate_ogrnip, "304500116000158", "контрольная цифра"),
        (validators.validate_kpp, "77360100", "9 символов"),
    ],
)
def test_validators_raise_russian_messages(validator, value, message):
    with pytest.raises(ValidationError) as info:
        validator(value)
    assert message in info.value.messages[0]


@pytest.mark.parametrize(
    ("validator", "value"),
    [
        (validators.validate_inn_organisation, "7707083893"),
        (validators.validate_inn_person, "500100732259"),
        (validators.validate_ogrn, "1027700132195"),
        (validators.validate_ogrnip, "304500116000157"),
        (validators.validate_kpp, "773601001"),
    ],
)
def test_validators_accept_real_numbers(validator, value):
    validator(value)
