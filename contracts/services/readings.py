"""Submitting meter readings: the rules of design §2.4 in one service, for every way a reading arrives.

`submit_reading` is the only writer of a reading by hand — the cabinet's form, an
organisation's upload (one call per row) and staff's entry in the admin. The rules:

- only inside the monthly window (settings READINGS_WINDOW_FIRST_DAY..LAST_DAY, the
  company's time zone), for the current month; staff may enter at any time;
- whole kWh: ASCII digits only (spaces between digit groups are allowed), no decimals,
  no sign, below 10⁹;
- exactly one value per zone of the meter (1–3), in the order T1, T2, T3;
- each zone not lower than the same zone of the previous accepted reading (a rollover or
  a replacement is staff's decision, made outside this form);
- remotely read meters and meters removed from service take no manual input;
- not unusually high against the previous period (settings READINGS_UNUSUAL_FACTOR and
  READINGS_UNUSUAL_MIN_KWH): the customer may confirm such a value with a comment, and the
  reading is then marked for staff's review;
- one reading per meter per month: a second submission in the same window CORRECTS the
  month's value (it must still be ≥ the previous month). A month whose reading came from
  staff, billing or remote collection is not corrected from the cabinet: that is a matter
  for an appeal;
- under `select_for_update` on the meter row, so two submissions at once are one after
  the other, and the unique (meter, period) constraint backs it;
- customers must be allowed (`contracts.access.may_submit_readings`).

Refusals are `ValidationError`s keyed by the form's field names (`t1`, `t2`, `t3`; no key
for the whole reading) with codes and Russian messages.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contracts import access
from contracts.models import Meter, Reading, Tariff, TariffZone

FIELDS = ("t1", "t2", "t3")
# A meter's register has at most 9 digits before the decimal point in practice (household ones 5–6).
MAX_VALUE = 10**9 - 1
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
# Spaces people type between digit groups: «12 345», a no-break space from a copied number.
_GROUP_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")
_TARIFF_BY_ZONES = {1: Tariff.SINGLE, 2: Tariff.TWO_ZONE, 3: Tariff.THREE_ZONE}
# Who may correct a month's reading from the cabinet: only readings that came from there.
_CUSTOMER_SOURCES = {Reading.Source.CABINET, Reading.Source.UPLOAD}
CUSTOMER_SOURCES = tuple(_CUSTOMER_SOURCES)


# --- the window ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The submission window of the month `today` falls in, and the next one."""

    today: date
    period: date  # the first day of the current month: the period readings are taken for
    opens_on: date
    closes_on: date

    @property
    def is_open(self) -> bool:
        return self.opens_on <= self.today <= self.closes_on

    @property
    def next_opens_on(self) -> date:
        """The first day of the window that is open now or comes next."""
        if self.today <= self.closes_on:
            return self.opens_on
        return _window_days(_next_month(self.period))[0]

    @property
    def next_closes_on(self) -> date:
        if self.today <= self.closes_on:
            return self.closes_on
        return _window_days(_next_month(self.period))[1]


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _window_days(period: date) -> tuple[date, date]:
    last_of_month = calendar.monthrange(period.year, period.month)[1]
    first_day = min(max(settings.READINGS_WINDOW_FIRST_DAY, 1), last_of_month)
    last_day = min(max(settings.READINGS_WINDOW_LAST_DAY, first_day), last_of_month)
    return period.replace(day=first_day), period.replace(day=last_day)


def local_today(now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), timezone.get_default_timezone()).date()


def reading_window(now: datetime | None = None) -> Window:
    today = local_today(now)
    period = today.replace(day=1)
    opens_on, closes_on = _window_days(period)
    return Window(today=today, period=period, opens_on=opens_on, closes_on=closes_on)


def _day(value: date) -> str:
    return date_format(value, "d.m.Y")


def _month(period: date) -> str:
    return date_format(period, "m.Y")


def window_closed_message(window: Window) -> str:
    return _(
        "Показания принимаются с %(first)d по %(last)d число каждого месяца. "
        "Следующий приём: с %(opens)s по %(closes)s."
    ) % {
        "first": settings.READINGS_WINDOW_FIRST_DAY,
        "last": settings.READINGS_WINDOW_LAST_DAY,
        "opens": _day(window.next_opens_on),
        "closes": _day(window.next_closes_on),
    }


# --- zones -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Zone:
    field: str  # "t1"
    code: str  # "T1"
    name: str  # «день»
    hours: str  # «07-23»


def zones_for(meter: Meter, tariff_zones: list[TariffZone] | None = None) -> list[Zone]:
    """The meter's zones with names and hours from TariffZone (one query unless given the rows)."""
    tariff = _TARIFF_BY_ZONES.get(meter.zones, Tariff.SINGLE)
    if tariff_zones is None:
        tariff_zones = list(TariffZone.objects.filter(tariff=tariff))
    by_code = {z.code: z for z in tariff_zones if z.tariff == tariff}
    zones = []
    for field in FIELDS[: meter.zones]:
        code = field.upper()
        row = by_code.get(code)
        zones.append(Zone(field=field, code=code, name=row.name if row else "", hours=row.hours if row else ""))
    return zones


# --- values ----------------------------------------------------------------------------------


def parse_kwh(raw, *, zone: str) -> int:
    """One zone's value as whole kWh; ValidationError with a message for a person otherwise."""
    if isinstance(raw, bool):
        raise ValidationError(_("Введите показание цифрами 0–9, например 12345."), code="invalid")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise ValidationError(_("Укажите целое число кВт·ч, без дробной части."), code="not_whole")
        value = int(raw)
    else:
        text = str(raw if raw is not None else "").strip().translate(_GROUP_SPACES)
        if not text:
            raise ValidationError(_("Укажите показание по зоне %(zone)s.") % {"zone": zone}, code="required")
        if text[0] in "-−–" and _DIGITS.fullmatch(text[1:].replace(",", "").replace(".", "")):
            raise ValidationError(_("Показание не может быть отрицательным."), code="negative")
        if re.fullmatch(r"[0-9]+[.,][0-9]*", text, re.ASCII):
            whole, _sep, fraction = text.replace(",", ".").partition(".")
            if fraction.strip("0"):
                raise ValidationError(
                    _("Укажите целое число кВт·ч, без дробной части: счётчик показывает её после запятой, "
                      "её передавать не нужно."),
                    code="not_whole",
                )
            text = whole
        if not _DIGITS.fullmatch(text):
            raise ValidationError(_("Введите показание цифрами 0–9, например 12345."), code="invalid")
        if len(text) > 12:
            raise ValidationError(_too_large_message(), code="too_large")
        value = int(text, 10)
    if value < 0:
        raise ValidationError(_("Показание не может быть отрицательным."), code="negative")
    if value > MAX_VALUE:
        raise ValidationError(_too_large_message(), code="too_large")
    return value


def _too_large_message() -> str:
    return _("Слишком большое число: у счётчика не больше 9 цифр до запятой (до %(max)s кВт·ч).") % {
        "max": f"{MAX_VALUE:,}".replace(",", " ")
    }


# --- history ---------------------------------------------------------------------------------


def previous_reading(meter: Meter, period: date) -> Reading | None:
    """The last accepted reading before `period`: the floor for this month's values."""
    return Reading.objects.filter(meter=meter, period__lt=period).order_by("-period").first()


def last_readings(meter: Meter, period: date) -> tuple[Reading | None, Reading | None]:
    """(this period's reading, the one before it) in one query."""
    current, before, _earlier = _three_readings(meter, period)
    return current, before


def _three_readings(meter: Meter, period: date):
    """(this period's reading, the one before it, the one before that) in one query."""
    rows = list(Reading.objects.filter(meter=meter, period__lte=period).order_by("-period")[:3])
    current = rows[0] if rows and rows[0].period == period else None
    before = [r for r in rows if r.period < period][:2]
    return current, (before[0] if before else None), (before[1] if len(before) > 1 else None)


def _months_between(earlier: date, later: date) -> int:
    return max((later.year - earlier.year) * 12 + later.month - earlier.month, 1)


def _total(reading: Reading) -> int:
    return sum(reading.values)


def unusual_consumption(period: date, parsed: list[int], before, earlier) -> tuple[int, int, int] | None:
    """(consumption, months, usual per month) when this reading's consumption is unusually high, else None.

    The usual figure is the monthly consumption between the two readings before this one; without
    them there is nothing to compare with, and nothing is called unusual.
    """
    if before is None or earlier is None:
        return None
    months = _months_between(before.period, period)
    consumption = sum(parsed) - _total(before)
    usual = max((_total(before) - _total(earlier)) / _months_between(earlier.period, before.period), 0)
    limit = max(usual * settings.READINGS_UNUSUAL_FACTOR, settings.READINGS_UNUSUAL_MIN_KWH) * months
    if consumption <= limit:
        return None
    return consumption, months, round(usual)


# --- the service -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    reading: Reading
    corrected: bool  # True when it replaced the same month's earlier reading


def submit_reading(
    user,
    meter: Meter,
    values,
    *,
    source: str,
    now: datetime | None = None,
    period: date | None = None,
    comment: str = "",
) -> Submitted:
    """Take one meter's readings for the current month (or correct them); raise ValidationError if refused.

    `values` holds one raw value per zone (strings from a form or a file, or ints), in
    the order T1, T2, T3. `source` is a Reading.Source; anything but STAFF is a
    customer's submission and is checked against the window and the user's rights.
    `period` (the first day of a month) is for staff only: customers always submit
    for the current month. An unusually high consumption is taken from a customer only
    with a `comment` explaining it, and the reading is then marked for staff's review.
    """
    now = now or timezone.now()
    staff = source == Reading.Source.STAFF
    if source not in Reading.Source.values or source in (Reading.Source.REMOTE, Reading.Source.BILLING):
        raise ValueError(f"submit_reading takes readings by hand, not {source!r}")
    window = reading_window(now)
    if period is not None and not staff:
        raise ValueError("only staff choose the period")
    period = (period or window.period).replace(day=1)

    values = list(values)
    # The checks that need no lock first: they read only what the caller gave.
    if not staff:
        if not access.meters_for_customer(user).filter(pk=meter.pk).exists():
            raise PermissionDenied
        if not window.is_open:
            raise ValidationError(window_closed_message(window), code="window_closed")

    with transaction.atomic():
        locked = Meter.objects.select_for_update(of=("self",)).filter(pk=meter.pk).first()
        if locked is None:
            raise ValidationError(_("Счётчик не найден."), code="not_found")
        _check_meter(locked)
        if not staff and not access.may_submit_readings(user, locked):
            raise ValidationError(
                _("Вам не разрешено передавать показания этого счётчика. Разрешение даёт администратор "
                  "организации в её настройках."),
                code="not_allowed",
            )
        parsed = _parse_values(locked, values)
        current, before, earlier = _three_readings(locked, period)
        _check_not_lower(parsed, before)
        comment = (comment or "").strip()[:1000]
        unusual = None if staff else unusual_consumption(period, parsed, before, earlier)
        if unusual is not None and not comment:
            consumption, months, usual = unusual
            raise ValidationError({"comment": ValidationError(
                _("Расход получается %(consumption)s кВт·ч за %(months)d мес. — намного больше обычного (около "
                  "%(usual)s кВт·ч в месяц). Проверьте цифры. Если всё верно, поясните в комментарии, почему расход "
                  "вырос: показания примем и проверим.")
                % {"consumption": consumption, "months": months, "usual": usual},
                code="unusually_high",
            )})
        if staff:
            _check_not_higher_than_next(locked, period, parsed)
        if current is not None and not staff and current.source not in _CUSTOMER_SOURCES:
            raise ValidationError(
                _("Показания за %(month)s уже приняты (источник: %(source)s); исправить их можно через "
                  "обращение.")
                % {"month": _month(period), "source": current.get_source_display()},
                code="already_accepted",
            )
        reading = current or Reading(meter=locked, period=period)
        reading.t1, reading.t2, reading.t3 = [*parsed, None, None, None][:3]
        reading.source = source
        reading.submitted_by = user if getattr(user, "is_authenticated", False) else None
        reading.submitted_at = now
        reading.needs_review = unusual is not None
        reading.comment = comment if unusual is not None or staff else ""
        reading.save()
    return Submitted(reading=reading, corrected=current is not None)


def _check_meter(meter: Meter) -> None:
    if meter.remote:
        raise ValidationError(
            _("Показания счётчика № %(serial)s собираются дистанционно: передавать их вручную не нужно.")
            % {"serial": meter.serial_number},
            code="remote",
        )
    if meter.removed_on is not None:
        raise ValidationError(
            _("Счётчик № %(serial)s снят с учёта %(date)s: показания по нему не принимаются.")
            % {"serial": meter.serial_number, "date": _day(meter.removed_on)},
            code="removed",
        )


def _parse_values(meter: Meter, values: list) -> list[int]:
    # Trailing blanks are no values at all: a file's empty T2 and T3 columns for a single-zone meter.
    while values and (values[-1] is None or (isinstance(values[-1], str) and not values[-1].strip())):
        values.pop()
    if len(values) > meter.zones:
        raise ValidationError(
            ngettext(
                "У счётчика № %(serial)s %(zones)d зона: нужно одно показание, а передано %(given)d.",
                "У счётчика № %(serial)s %(zones)d зоны: нужно %(zones)d показания, а передано %(given)d.",
                meter.zones,
            )
            % {"serial": meter.serial_number, "zones": meter.zones, "given": len(values)},
            code="zones",
        )
    values = [*values, *[""] * (meter.zones - len(values))]
    errors, parsed = {}, []
    for field, raw in zip(FIELDS, values, strict=False):
        try:
            parsed.append(parse_kwh(raw, zone=field.upper()))
        except ValidationError as error:
            errors[field] = error
    if errors:
        raise ValidationError(errors)
    return parsed


def _check_not_lower(parsed: list[int], before: Reading | None) -> None:
    if before is None:
        return
    errors = {}
    for field, value in zip(FIELDS, parsed, strict=False):
        previous = getattr(before, field)
        if previous is not None and value < previous:
            errors[field] = ValidationError(
                _("Показание меньше предыдущего принятого: %(previous)s кВт·ч за %(month)s. Проверьте цифры; "
                  "если счётчик заменён или «перешёл через ноль», сообщите нам через обращение.")
                % {"previous": previous, "month": _month(before.period)},
                code="lower_than_previous",
            )
    if errors:
        raise ValidationError(errors)


def _check_not_higher_than_next(meter: Meter, period: date, parsed: list[int]) -> None:
    """Staff entering a past month: the value must also fit under the month after it."""
    after = Reading.objects.filter(meter=meter, period__gt=period).order_by("period").first()
    if after is None:
        return
    errors = {}
    for field, value in zip(FIELDS, parsed, strict=False):
        following = getattr(after, field)
        if following is not None and value > following:
            errors[field] = ValidationError(
                _("Показание больше принятого за следующий месяц: %(next)s кВт·ч за %(month)s.")
                % {"next": following, "month": _month(after.period)},
                code="higher_than_next",
            )
    if errors:
        raise ValidationError(errors)
