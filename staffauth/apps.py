from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffauthConfig(AppConfig):
    name = "staffauth"
    verbose_name = _("Вход сотрудников: второй фактор")
