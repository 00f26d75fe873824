from django.db import migrations


def seed(apps, schema_editor):
    from contracts.checklist import ensure_default_checklist

    ensure_default_checklist(apps.get_model("contracts", "RequiredDocument"))


class Migration(migrations.Migration):
    dependencies = [("contracts", "0005_contract_applications")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
