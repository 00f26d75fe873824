"""The common zone hours (design §2.4); staff change them in the admin where the region differs."""

from django.db import migrations

ZONES = [
    ("single", "T1", "круглосуточно", "00-24"),
    ("two_zone", "T1", "день", "07-23"),
    ("two_zone", "T2", "ночь", "23-07"),
    ("three_zone", "T1", "пик", "07-10,17-21"),
    ("three_zone", "T2", "ночь", "23-07"),
    ("three_zone", "T3", "полупик", "10-17,21-23"),
]


def seed(apps, schema_editor):
    TariffZone = apps.get_model("contracts", "TariffZone")
    for tariff, code, name, hours in ZONES:
        TariffZone.objects.get_or_create(tariff=tariff, code=code, defaults={"name": name, "hours": hours})


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_contracts_meters_readings")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
