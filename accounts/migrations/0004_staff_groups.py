"""Create the staff groups; their permissions come from accounts/roles.py on every migrate."""

from django.db import migrations

STAFF_GROUPS = ("Операторы", "Руководители", "Редакторы контента", "Администраторы")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in STAFF_GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_consent_document_v1"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
