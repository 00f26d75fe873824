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
