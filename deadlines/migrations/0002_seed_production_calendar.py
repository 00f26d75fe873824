"""Seeds the production calendar for 2024–2027 from the government decrees.

The dates are frozen here as literals rather than read from the `holidays`
package at migration time: a migration must give the same rows on every
machine and every future install, whatever version of the package is
installed then (a later release may correct a year or drop an API), and staff
edit the rows afterwards anyway. deadlines/tests/test_seed_calendar.py checks
these literals against the `holidays` package (holidays and transfers) and the
shortened days against the decrees as recorded in that test.

2024 is included so that terms started in late 2024 still count correctly and
the working Saturday of 27 April 2024 is on record.
"""

from datetime import date

from django.db import migrations

NONWORKING, WORKING, SHORTENED = "nonworking", "working", "shortened"

NEW_YEAR = "Новогодние каникулы (ТК РФ, ст. 112)"
CHRISTMAS = "Рождество Христово (ТК РФ, ст. 112)"
DEFENDER = "День защитника Отечества (ТК РФ, ст. 112)"
WOMEN = "Международный женский день (ТК РФ, ст. 112)"
SPRING = "Праздник Весны и Труда (ТК РФ, ст. 112)"
VICTORY = "День Победы (ТК РФ, ст. 112)"
RUSSIA = "День России (ТК РФ, ст. 112)"
UNITY = "День народного единства (ТК РФ, ст. 112)"
PRE_HOLIDAY = "Предпраздничный день, на час короче (ТК РФ, ст. 95)"


def moved(source):
    return f"Перенесённый выходной: с {source}"


def observed(holiday):
    return f"Праздник {holiday} пришёлся на выходной и перенесён на следующий рабочий день (ТК РФ, ст. 112 ч. 2)"


CALENDAR = {
    2024: {
        "decree": "Постановление Правительства РФ от 10.08.2023 № 1314 «О переносе выходных дней в 2024 году»",
        "days": [
            (date(2024, 1, 1), NONWORKING, NEW_YEAR),
            (date(2024, 1, 2), NONWORKING, NEW_YEAR),
            (date(2024, 1, 3), NONWORKING, NEW_YEAR),
            (date(2024, 1, 4), NONWORKING, NEW_YEAR),
            (date(2024, 1, 5), NONWORKING, NEW_YEAR),
            (date(2024, 1, 8), NONWORKING, NEW_YEAR),
            (date(2024, 2, 22), SHORTENED, PRE_HOLIDAY),
            (date(2024, 2, 23), NONWORKING, DEFENDER),
            (date(2024, 3, 7), SHORTENED, PRE_HOLIDAY),
            (date(2024, 3, 8), NONWORKING, WOMEN),
            (date(2024, 4, 27), WORKING, "Рабочая суббота: выходной перенесён на 29 апреля"),
            (date(2024, 4, 29), NONWORKING, moved("субботы 27 апреля")),
            (date(2024, 4, 30), NONWORKING, moved("субботы 2 ноября")),
            (date(2024, 5, 1), NONWORKING, SPRING),
            (date(2024, 5, 8), SHORTENED, PRE_HOLIDAY),
            (date(2024, 5, 9), NONWORKING, VICTORY),
            (date(2024, 5, 10), NONWORKING, moved("субботы 6 января")),
            (date(2024, 6, 11), SHORTENED, PRE_HOLIDAY),
            (date(2024, 6, 12), NONWORKING, RUSSIA),
            (date(2024, 11, 2), SHORTENED, "Рабочая суббота, на час короче: выходной перенесён на 30 апреля"),
            (date(2024, 11, 4), NONWORKING, UNITY),
            (date(2024, 12, 28), WORKING, "Рабочая суббота: выходной перенесён на 30 декабря"),
            (date(2024, 12, 30), NONWORKING, moved("субботы 28 декабря")),
            (date(2024, 12, 31), NONWORKING, moved("воскресенья 7 января")),
        ],
    },
    2025: {
        "decree": "Постановление Правительства РФ от 04.10.2024 № 1335 «О переносе выходных дней в 2025 году»",
        "days": [
            (date(2025, 1, 1), NONWORKING, NEW_YEAR),
            (date(2025, 1, 2), NONWORKING, NEW_YEAR),
            (date(2025, 1, 3), NONWORKING, NEW_YEAR),
            (date(2025, 1, 6), NONWORKING, NEW_YEAR),
            (date(2025, 1, 7), NONWORKING, CHRISTMAS),
            (date(2025, 1, 8), NONWORKING, NEW_YEAR),
            (date(2025, 3, 7), SHORTENED, PRE_HOLIDAY),
            (date(2025, 4, 30), SHORTENED, PRE_HOLIDAY),
            (date(2025, 5, 1), NONWORKING, SPRING),
            (date(2025, 5, 2), NONWORKING, moved("субботы 4 января")),
            (date(2025, 5, 8), NONWORKING, moved("воскресенья 23 февраля")),
            (date(2025, 5, 9), NONWORKING, VICTORY),
            (date(2025, 6, 11), SHORTENED, PRE_HOLIDAY),
            (date(2025, 6, 12), NONWORKING, RUSSIA),
            (date(2025, 6, 13), NONWORKING, moved("субботы 8 марта")),
            (date(2025, 11, 1), SHORTENED, "Рабочая суббота, на час короче: выходной перенесён на 3 ноября"),
            (date(2025, 11, 3), NONWORKING, moved("субботы 1 ноября")),
            (date(2025, 11, 4), NONWORKING, UNITY),
            (date(2025, 12, 31), NONWORKING, moved("воскресенья 5 января")),
        ],
    },
    2026: {
        "decree": "Постановление Правительства РФ от 24.09.2025 № 1466 «О переносе выходных дней в 2026 году»",
        "days": [
            (date(2026, 1, 1), NONWORKING, NEW_YEAR),
            (date(2026, 1, 2), NONWORKING, NEW_YEAR),
            (date(2026, 1, 5), NONWORKING, NEW_YEAR),
            (date(2026, 1, 6), NONWORKING, NEW_YEAR),
            (date(2026, 1, 7), NONWORKING, CHRISTMAS),
            (date(2026, 1, 8), NONWORKING, NEW_YEAR),
            (date(2026, 1, 9), NONWORKING, moved("субботы 3 января")),
            (date(2026, 2, 23), NONWORKING, DEFENDER),
            (date(2026, 3, 9), NONWORKING, observed("8 марта")),
            (date(2026, 4, 30), SHORTENED, PRE_HOLIDAY),
            (date(2026, 5, 1), NONWORKING, SPRING),
            (date(2026, 5, 8), SHORTENED, PRE_HOLIDAY),
            (date(2026, 5, 11), NONWORKING, observed("9 мая")),
            (date(2026, 6, 11), SHORTENED, PRE_HOLIDAY),
            (date(2026, 6, 12), NONWORKING, RUSSIA),
            (date(2026, 11, 3), SHORTENED, PRE_HOLIDAY),
            (date(2026, 11, 4), NONWORKING, UNITY),
            (date(2026, 12, 31), NONWORKING, moved("воскресенья 4 января")),
        ],
    },
    2027: {
        "decree": "Постановление Правительства РФ «О переносе выходных дней в 2027 году» "
        "(КонсультантПлюс, документ LAW_544706)",
        "days": [
            (date(2027, 1, 1), NONWORKING, NEW_YEAR),
            (date(2027, 1, 4), NONWORKING, NEW_YEAR),
            (date(2027, 1, 5), NONWORKING, NEW_YEAR),
            (date(2027, 1, 6), NONWORKING, NEW_YEAR),
            (date(2027, 1, 7), NONWORKING, CHRISTMAS),
            (date(2027, 1, 8), NONWORKING, NEW_YEAR),
            (date(2027, 2, 20), SHORTENED, "Рабочая суббота, на час короче: выходной перенесён на 22 февраля"),
            (date(2027, 2, 22), NONWORKING, moved("субботы 20 февраля")),
            (date(2027, 2, 23), NONWORKING, DEFENDER),
            (date(2027, 3, 8), NONWORKING, WOMEN),
            (date(2027, 4, 30), SHORTENED, PRE_HOLIDAY),
            (date(2027, 5, 3), NONWORKING, observed("1 мая")),
            (date(2027, 5, 10), NONWORKING, observed("9 мая")),
            (date(2027, 6, 11), SHORTENED, PRE_HOLIDAY),
            (date(2027, 6, 14), NONWORKING, observed("12 июня")),
            (date(2027, 11, 3), SHORTENED, PRE_HOLIDAY),
            (date(2027, 11, 4), NONWORKING, UNITY),
            (date(2027, 11, 5), NONWORKING, moved("субботы 2 января")),
            (date(2027, 12, 31), NONWORKING, moved("воскресенья 3 января")),
        ],
    },
}


def seed(apps, schema_editor):
    CalendarYear = apps.get_model("deadlines", "CalendarYear")
    CalendarDay = apps.get_model("deadlines", "CalendarDay")
    for year, data in CALENDAR.items():
        calendar_year, _ = CalendarYear.objects.get_or_create(year=year, defaults={"decree": data["decree"]})
        CalendarDay.objects.bulk_create(
            [CalendarDay(calendar_year=calendar_year, day=day, kind=kind, note=note) for day, kind, note in data["days"]],
            ignore_conflicts=True,
        )


def unseed(apps, schema_editor):
    apps.get_model("deadlines", "CalendarYear").objects.filter(year__in=CALENDAR).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
