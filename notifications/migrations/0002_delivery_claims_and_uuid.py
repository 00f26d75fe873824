"""Claim tokens, the requeue count, and a UUID per notification for globally unique Message-IDs.

The UUID column is added nullable, filled with a distinct random value per existing row
(a plain AddField with a callable default would give every old row the same one), then
made required and unique.
"""

import uuid

from django.db import migrations, models


def fill_uuids(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("UPDATE notifications_notification SET uuid = gen_random_uuid() WHERE uuid IS NULL")
        return
    Notification = apps.get_model("notifications", "Notification")
    pending = Notification.objects.filter(uuid__isnull=True).values_list("pk", flat=True)
    for pk in pending.iterator(chunk_size=2000):
        Notification.objects.filter(pk=pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="claim_token",
            field=models.UUIDField(blank=True, editable=False, null=True, verbose_name="метка захвата"),
        ),
        migrations.AddField(
            model_name="notification",
            name="requeues",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="возвращено в очередь"),
        ),
        migrations.AddField(
            model_name="notification",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="уникальный идентификатор"),
        ),
        migrations.RunPython(fill_uuids, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="notification",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="уникальный идентификатор"
            ),
        ),
    ]
