from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SecondFactorReset(models.Model):
    """One reset of a staff member's second factor by an administrator: the record is never edited.

    The emails are kept beside the links so the record still says who and whom after an account is gone.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="second_factor_resets",
        verbose_name=_("сотрудник"),
    )
    user_email = models.EmailField(_("почта сотрудника"))
    reset_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("кто сбросил"),
    )
    # An email, or "manage.py" for a reset from the server's command line.
    reset_by_email = models.CharField(_("кто сбросил (почта)"), max_length=254)
    reset_at = models.DateTimeField(_("когда"), default=timezone.now)
    reason = models.CharField(_("причина"), max_length=500, blank=True)
    devices_removed = models.PositiveIntegerField(_("удалено устройств"), default=0)

    class Meta:
        ordering = ["-reset_at", "-pk"]
        verbose_name = _("сброс второго фактора")
        verbose_name_plural = _("сбросы второго фактора")

    def __str__(self):
        return f"{self.user_email} ({timezone.localtime(self.reset_at):%d.%m.%Y %H:%M})"
