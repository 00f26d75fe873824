"""Append-only journals: staff reads of personal data, security events, bulk changes.

Rows are written only by `audit.services`; the admin shows them read-only. The people they name are
kept as plain ids (no database constraint, nothing cascades): a journal must outlive the account it
speaks about, and anonymising an account must not rewrite who looked at it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _person(verbose_name, **kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
        related_name="+", verbose_name=verbose_name, **kwargs,
    )


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("a journal row is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("a journal row is never deleted")


class PersonalDataRead(AppendOnly):
    class Kind(models.TextChoices):
        CARD = "card", _("карточка клиента")
        ORGANISATION = "organisation", _("карточка организации")
        APPEAL = "appeal", _("обращение")
        APPLICATION = "application", _("заявка на договор")
        DOCUMENT = "document", _("файл или документ")
        EXPORT = "export", _("выгрузка")
        CHANGES = "changes", _("журнал изменений клиента")

    at = models.DateTimeField(_("когда"), db_index=True)
    staff = _person(_("сотрудник"))
    ip_address = models.GenericIPAddressField(_("адрес"), null=True, blank=True)
    kind = models.CharField(_("что открыто"), max_length=16, choices=Kind.choices)
    subject = _person(_("клиент"), db_index=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
        related_name="+", verbose_name=_("организация"),
    )
    # What was opened, by reference only (an appeal's number, a file's id): never a copy of the data.
    reference = models.CharField(_("объект"), max_length=200, blank=True)
    path = models.CharField(_("адрес страницы"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("просмотр персональных данных")
        verbose_name_plural = _("Кто смотрел данные клиентов")
        ordering = ["-at", "-pk"]
        permissions = [("view_customer_changes", _("Может смотреть все изменения данных клиента"))]
        indexes = [
            models.Index(fields=["subject", "at"], name="audit_read_subject_at"),
            models.Index(fields=["organisation", "at"], name="audit_read_org_at"),
        ]

    def __str__(self):
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_kind_display()} {self.reference}"


class SecurityEvent(AppendOnly):
    class Kind(models.TextChoices):
        LOGIN = "login", _("вход")
        LOGIN_FAILED = "login_failed", _("неудачный вход")
        LOCKOUT = "lockout", _("блокировка входа")
        LOGOUT = "logout", _("выход")
        PASSWORD_CHANGED = "password", _("смена пароля")
        EMAIL_CHANGED = "email", _("смена адреса почты")
        GROUPS_CHANGED = "groups", _("изменены группы")
        PERMISSIONS_CHANGED = "permissions", _("изменены права")
        STAFF_FLAGS_CHANGED = "staff_flags", _("изменён статус сотрудника")

    at = models.DateTimeField(_("когда"), db_index=True)
    kind = models.CharField(_("событие"), max_length=16, choices=Kind.choices)
    user = _person(_("пользователь"), db_index=True)
    # The name typed at a failed login: there may be no such account.
    username = models.CharField(_("имя для входа"), max_length=254, blank=True)
    actor = _person(_("кто изменил"))
    ip_address = models.GenericIPAddressField(_("адрес"), null=True, blank=True)
    detail = models.CharField(_("подробности"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("событие безопасности")
        verbose_name_plural = _("События безопасности")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_kind_display()}"


class BulkChange(AppendOnly):
    """One row for a bulk write (the billing import): who, when, what, and its report's totals."""

    at = models.DateTimeField(_("когда"), db_index=True)
    actor = _person(_("кто"))
    ip_address = models.GenericIPAddressField(_("адрес"), null=True, blank=True)
    what = models.CharField(_("что"), max_length=200)
    summary = models.JSONField(_("итоги"), default=dict, blank=True)

    class Meta:
        verbose_name = _("массовое изменение")
        verbose_name_plural = _("Массовые изменения")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%d.%m.%Y %H:%M} {self.what}"
