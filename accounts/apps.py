from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Пользователи и организации")

    def ready(self):
        from accounts import login_guard, middleware  # noqa: F401  (connect the login receivers)
        from accounts.roles import apply_group_permissions_after_migrate

        post_migrate.connect(apply_group_permissions_after_migrate, dispatch_uid="accounts.apply_group_permissions")
