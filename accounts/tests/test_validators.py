import pytest
from django.core.exceptions import ValidationError

from accounts import validators
from core.phones import normalise_phone

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
    assert normalise_phone(raw) == normalised


@pytest.mark.parametrize(
    "raw", ["9161234567", "+7916123456", "+791612345678", "+19161234567", "69161234567", "8916123456a", ""]
)
def test_phone_rejected(raw):
    with pytest.raises(ValidationError) as info:
        normalise_phone(raw)
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


# --- Only ASCII digits, the whole string, and only strings --------------------------------

# Each validator with one valid value; every row of HOSTILE is derived from it.
VALID_SAMPLES = [
    (validators.validate_inn_organisation, validators.inn_is_valid, "7707083893"),
    (validators.validate_inn_person, validators.inn_is_valid, "500100732259"),
    (validators.validate_kpp, validators.kpp_is_valid, "773601001"),
    (validators.validate_ogrn, validators.ogrn_is_valid, "1027700132195"),
    (validators.validate_ogrnip, validators.ogrnip_is_valid, "304500116000157"),
    (validators.validate_personal_account, validators.personal_account_is_valid, "1234567890"),
]
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
HOSTILE = {
    "arabic-indic digits": lambda v: v.translate(ARABIC_INDIC),
    "fullwidth digits": lambda v: v.translate(FULLWIDTH),
    "trailing newline": lambda v: v + "\n",
    "leading newline": lambda v: "\n" + v,
    "surrounding spaces": lambda v: f" {v} ",
    "trailing junk": lambda v: v + "x",
    "leading junk": lambda v: "№" + v,
    "a number": int,
    "None": lambda v: None,
    "empty": lambda v: "",
    "emoji": lambda v: "🙂" * len(v),
}


@pytest.mark.parametrize(("validate", "is_valid", "value"), VALID_SAMPLES, ids=lambda x: getattr(x, "__name__", x))
def test_the_sample_itself_is_valid(validate, is_valid, value):
    validate(value)
    assert is_valid(value)


@pytest.mark.parametrize("hostile", list(HOSTILE), ids=str)
@pytest.mark.parametrize(("validate", "is_valid", "value"), VALID_SAMPLES, ids=lambda x: getattr(x, "__name__", x))
def test_non_ascii_digits_junk_and_non_strings_are_refused(validate, is_valid, value, hostile):
    bad = HOSTILE[hostile](value)
    with pytest.raises(ValidationError):
        validate(bad)
    assert is_valid(bad) is False


def test_kpp_from_the_outside_test_is_refused():
    for value in ("٧٧٣٦٠١٠٠١", "７７３６０１００１", "773601001\n"):
        with pytest.raises(ValidationError):
            validators.validate_kpp(value)


@pytest.mark.parametrize("value", [None, 79161234567, "+7916123456٧", "+7９161234567"])
def test_phone_refuses_non_strings_and_non_ascii_digits(value):
    with pytest.raises(ValidationError):
        normalise_phone(value)


def test_personal_account_follows_the_setting_in_ascii(settings):
    settings.PERSONAL_ACCOUNT_REGEX = r"^\d{3}-\d{4}$"
    assert validators.personal_account_is_valid("123-4567")
    assert not validators.personal_account_is_valid("123-4567\n")
    assert not validators.personal_account_is_valid("١٢٣-4567")
    assert not validators.personal_account_is_valid("1234567890")


@pytest.mark.parametrize(
    "name",
    [
        "СРОЧНО: задолженность 18 450 руб., оплатите на pay-energo.example",
        "ООО «Ромашка» https://evil.example/pay",
        "ООО «Ромашка» hxxp://x",
        "www.pay-energo",
        "оплата pay-energo.com",
        "оплата на оплата.рф",
        "PAY-ENERGO.RU",
        "пишите на pay@example",
        "звоните 8 (800) 555-35-35",
        "+7 916 123 45 67",
        "ООО «Ромашка» 5 000₽",
        "ООО «Ромашка»\nОплатите долг",
        None,
        123,
    ],
)
def test_organisation_names_with_lures_are_refused(name):
    with pytest.raises(ValidationError) as info:
        validators.validate_organisation_name(name)
    assert "ссылки" in info.value.messages[0]


@pytest.mark.parametrize(
    "name",
    [
        "ООО «Ромашка»",
        "ИП Иванов И.И.",
        "ИП И. И. Иванов",
        "МУП «Водоканал № 12»",
        "ГБОУ Школа № 1234",
        "Huawei Tech. Co. Ltd",
        "ООО «Рубин-2000»",
        "АО «Энерго-Сервис 2.0»",
    ],
)
def test_ordinary_organisation_names_pass(name):
    validators.validate_organisation_name(name)
