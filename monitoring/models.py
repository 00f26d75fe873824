"""The dashboard owns no data: this unmanaged model only carries its permissions (Django ties a permission
to a content type). Domain code checks the permissions, never group names (accounts/roles.py grants them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceFigures(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("показатели обслуживания")
        permissions = [
            ("view_dashboard", _("Видеть показатели обслуживания по всем сотрудникам")),
            ("view_own_figures", _("Видеть свои показатели обслуживания")),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)


class DailyAppealCounts(models.Model):
    """Appeals registered on one company day, per topic, kind and assignee: the dashboard's counting figures
    for whole past days (monitoring/rollups.py fills it; the selectors read the raw rows only for the rest)."""

    day = models.DateField()
    topic = models.CharField(max_length=32)
    kind = models.CharField(max_length=32)
    assignee = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    received = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()
        indexes = [models.Index(fields=["day", "assignee"], name="daily_counts_day_assignee")]

    def __str__(self):
        return f"{self.day} {self.topic}/{self.kind}: {self.received}"


class RolledDay(models.Model):
    """A day whose rows in DailyAppealCounts are complete, and when they were counted."""

    day = models.DateField(primary_key=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"{self.day} ({self.refreshed_at:%Y-%m-%d %H:%M})"
