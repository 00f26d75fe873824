"""Column layouts of the billing files: one per entity, each column with its parser.

A parser gets a non-empty cell (text, or a date from an XLSX cell) and returns the model's value or
raises `CellError` with a Russian message. The README's import section documents the same layouts;
`LAYOUTS` is the single source (the admin's import page lists them from here too).
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.models import Contract, SupplyPoint, Tariff


class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    parse: Callable[[Any], Any]
    description: Any  # lazy text for the admin page and the README
    example: str
    # Empty cell → this value (for an optional column).
    default: Any = None


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def text(max_length: int):
    def parse(cell):
        value = str(cell).strip() if not isinstance(cell, datetime.date) else cell.strftime("%d.%m.%Y")
        if len(value) > max_length:
            raise CellError(_("длиннее %(n)d символов") % {"n": max_length})
        if _CONTROL.search(value):
            raise CellError(_("содержит непечатаемые символы"))
        return value

    return parse


def choice(mapping: dict[str, str], what: str):
    def parse(cell):
        raw = str(cell).strip()
        value = mapping.get(raw.lower())
        if value is None:
            allowed = ", ".join(sorted({k for k in mapping if k.isascii()}))
            raise CellError(
                _("неизвестный %(what)s «%(value)s» (допустимо: %(allowed)s)")
                % {"what": what, "value": raw[:40], "allowed": allowed}
            )
        return value

    return parse


def integer_between(low: int, high: int, message: str):
    def parse(cell):
        raw = str(cell).strip()
        if not re.fullmatch(r"[0-9]{1,3}", raw) or not low <= int(raw) <= high:
            raise CellError(message % {"value": raw[:20]})
        return int(raw)

    return parse


def power(cell):
    raw = str(cell).strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise CellError(_("«%(value)s» — не число") % {"value": str(cell)[:20]}) from None
    if not value.is_finite():
        raise CellError(_("«%(value)s» — не число") % {"value": str(cell)[:20]})
    if value < 0:
        raise CellError(_("мощность не может быть отрицательной"))
    if value != value.quantize(Decimal("0.01")) or value >= Decimal("100000000"):
        raise CellError(_("не больше 99 999 999,99 и не больше двух знаков после запятой"))
    return value.quantize(Decimal("0.01"))


_DATE_RES = (
    (re.compile(r"([0-9]{2})\.([0-9]{2})\.([0-9]{4})"), (3, 2, 1)),  # ДД.ММ.ГГГГ
    (re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"), (1, 2, 3)),  # ГГГГ-ММ-ДД
)


def date(cell):
    if isinstance(cell, datetime.date):
        value = cell
    else:
        raw, value = str(cell).strip(), None
        for pattern, (y, m, d) in _DATE_RES:
            match = pattern.fullmatch(raw)
            if match:
                try:
                    value = datetime.date(int(match[y]), int(match[m]), int(match[d]))
                except ValueError:
                    value = None
                break
        if value is None:
            raise CellError(_("неверная дата «%(value)s» (нужно ДД.ММ.ГГГГ или ГГГГ-ММ-ДД)") % {"value": raw[:20]})
    if not 1900 <= value.year <= 2200:
        raise CellError(_("неверная дата «%(value)s»") % {"value": value.strftime("%d.%m.%Y")})
    return value


_YES = {"1", "да", "д", "yes", "y", "true", "истина"}
_NO = {"0", "нет", "н", "no", "n", "false", "ложь"}


def boolean(cell):
    raw = str(cell).strip().lower()
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise CellError(_("«%(value)s» — нужно «да» или «нет» (1 или 0)") % {"value": raw[:20]})


KINDS = {"residential": Contract.Kind.RESIDENTIAL, "supply": Contract.Kind.SUPPLY, "purchase": Contract.Kind.PURCHASE}
STATUSES = {
    "active": Contract.Status.ACTIVE,
    "suspended": Contract.Status.SUSPENDED,
    "terminated": Contract.Status.TERMINATED,
}
TARIFFS = {"single": Tariff.SINGLE, "two_zone": Tariff.TWO_ZONE, "three_zone": Tariff.THREE_ZONE}
VOLTAGES = {
    "hv": SupplyPoint.Voltage.HV, "вн": SupplyPoint.Voltage.HV,
    "mv1": SupplyPoint.Voltage.MV1, "сн-1": SupplyPoint.Voltage.MV1, "сн1": SupplyPoint.Voltage.MV1,
    "mv2": SupplyPoint.Voltage.MV2, "сн-2": SupplyPoint.Voltage.MV2, "сн2": SupplyPoint.Voltage.MV2,
    "lv": SupplyPoint.Voltage.LV, "нн": SupplyPoint.Voltage.LV,
}  # fmt: skip

BILLING_ID = Column("billing_id", True, text(64), gettext_lazy("код записи в биллинге (ключ загрузки)"), "C-000123")

CONTRACT_COLUMNS = [
    BILLING_ID,
    Column(
        "number",
        True,
        text(40),
        gettext_lazy(
            "номер договора; у гражданина — номер лицевого счёта (формат из настройки PERSONAL_ACCOUNT_REGEX)"
        ),
        "5000123456",
    ),
    Column(
        "kind",
        True,
        choice(KINDS, gettext_lazy("вид договора")),
        gettext_lazy(
            "residential — гражданин (лицевой счёт), supply — энергоснабжение организации, purchase — купля-продажа"
        ),
        "residential",
    ),
    Column(
        "status",
        False,
        choice(STATUSES, gettext_lazy("статус")),
        gettext_lazy("active, suspended или terminated; пусто — active"),
        "active",
        default=Contract.Status.ACTIVE,
    ),
    Column(
        "customer_name",
        True,
        text(300),
        gettext_lazy("ФИО гражданина или наименование организации"),
        "Иванова Мария Сергеевна",
    ),
    Column(
        "inn",
        False,
        text(12),
        gettext_lazy("ИНН: у организации обязателен (10 цифр, у ИП 12), у гражданина — 12 цифр или пусто"),
        "7707083893",
        default="",
    ),
    Column(
        "address", False, text(500), gettext_lazy("адрес потребителя"), "г. Москва, ул. Ленина, д. 1, кв. 2", default=""
    ),
    Column("signed_on", False, date, gettext_lazy("дата заключения, ДД.ММ.ГГГГ или ГГГГ-ММ-ДД"), "01.02.2024"),
    Column("effective_from", False, date, gettext_lazy("действует с (дата)"), "01.02.2024"),
    Column("effective_to", False, date, gettext_lazy("действует по (дата), пусто — бессрочно"), ""),
    Column(
        "tariff",
        False,
        choice(TARIFFS, gettext_lazy("тариф")),
        gettext_lazy("только у гражданина, обязателен: single, two_zone или three_zone"),
        "two_zone",
        default="",
    ),
    Column(
        "price_category",
        False,
        integer_between(1, 6, gettext_lazy("ценовая категория «%(value)s» — нужна от 1 до 6")),
        gettext_lazy("только у организации, обязательна: ценовая категория от 1 до 6"),
        "3",
    ),
    Column(
        "binding_code",
        False,
        text(64),
        gettext_lazy("код привязки с квитанции (хранится в виде хеша); пусто — код не меняется"),
        "K7M3PX9Q",
        default="",
    ),
]

SUPPLY_POINT_COLUMNS = [
    BILLING_ID,
    Column(
        "contract_billing_id",
        True,
        text(64),
        gettext_lazy("код договора в биллинге (договор загружен раньше)"),
        "C-000123",
    ),
    Column("address", True, text(500), gettext_lazy("адрес точки поставки"), "г. Москва, ул. Ленина, д. 1, кв. 2"),
    Column(
        "max_power_kw",
        True,
        power,
        gettext_lazy("максимальная мощность, кВт, не меньше 0 (запятая или точка)"),
        "15,00",
    ),
    Column(
        "voltage",
        False,
        choice(VOLTAGES, gettext_lazy("уровень напряжения")),
        gettext_lazy("HV (ВН), MV1 (СН-1), MV2 (СН-2) или LV (НН); пусто — LV"),
        "LV",
        default=SupplyPoint.Voltage.LV,
    ),
    Column(
        "grid_company",
        False,
        text(300),
        gettext_lazy("сетевая организация"),
        "ПАО «Россети Московский регион»",
        default="",
    ),
]

METER_COLUMNS = [
    BILLING_ID,
    Column(
        "supply_point_billing_id",
        True,
        text(64),
        gettext_lazy("код точки поставки в биллинге (загружена раньше)"),
        "SP-000123",
    ),
    Column("serial_number", True, text(40), gettext_lazy("заводской номер, единственный у счётчика"), "01234567"),
    Column("model", False, text(120), gettext_lazy("модель"), "Меркурий 201.8", default=""),
    Column(
        "zones",
        True,
        integer_between(1, 3, gettext_lazy("число зон «%(value)s» — нужно от 1 до 3")),
        gettext_lazy("число тарифных зон: 1, 2 или 3 (у счётчика гражданина — как у тарифа договора)"),
        "2",
    ),
    Column("installed_on", False, date, gettext_lazy("дата установки"), "15.03.2021"),
    Column("next_verification_on", False, date, gettext_lazy("дата очередной поверки"), "15.03.2037"),
    Column(
        "remote",
        False,
        boolean,
        gettext_lazy("дистанционный сбор показаний: да/нет (1/0); пусто — нет"),
        "нет",
        default=False,
    ),
    Column("removed_on", False, date, gettext_lazy("дата снятия; пусто — в работе"), ""),
]
LAYOUTS = {
    "contracts": CONTRACT_COLUMNS,
    "supply_points": SUPPLY_POINT_COLUMNS,
    "meters": METER_COLUMNS,
}
ENTITY_LABELS = {
    "contracts": gettext_lazy("договоры и лицевые счета"),
    "supply_points": gettext_lazy("точки поставки"),
    "meters": gettext_lazy("приборы учёта"),
}


def register_layout(entity: str, label, columns: list[Column]) -> None:
    """Another app's entity joins the import (billing's charges, payments, balances, documents): its columns
    show on the admin page and in `--entity`, and a header may be recognised as it."""
    LAYOUTS[entity] = columns
    ENTITY_LABELS[entity] = label


def detect_entity(header: list[str]) -> str | None:
    """The entity whose required columns the header has, when exactly one fits."""
    names = set(header)
    fitting = [entity for entity, columns in LAYOUTS.items() if {c.name for c in columns if c.required} <= names]
    return fitting[0] if len(fitting) == 1 else None
