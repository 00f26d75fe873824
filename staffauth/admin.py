"""Resets of a staff member's second factor: adding one *is* the reset (services.reset_second_factor);
the record is then read-only. django-otp's own device admin is removed, so devices change only
through enrolment or a recorded reset."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from staffauth import services
from staffauth.models import SecondFactorReset

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class ResetForm(forms.ModelForm):
    user = forms.ModelChoiceField(
        label=_("Сотрудник"),
        queryset=get_user_model().objects.filter(is_staff=True).order_by("email"),
        help_text=_(
            "Все его устройства и коды восстановления удаляются; при следующем входе он подключит приложение заново."
        ),
        error_messages={"invalid_choice": _("Выберите сотрудника из списка.")},
    )

    class Meta:
        model = SecondFactorReset
        fields = ["user", "reason"]


@admin.register(SecondFactorReset)
class SecondFactorResetAdmin(admin.ModelAdmin):
    list_display = ["reset_at", "user_email", "reset_by_email", "devices_removed", "reason"]
    search_fields = ["user_email", "reset_by_email"]
    date_hierarchy = None
    list_per_page = 50
    readonly_fields = ["user", "user_email", "reset_by", "reset_by_email", "reset_at", "devices_removed", "reason"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ResetForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ["user", "reason"]

    def save_model(self, request, obj, form, change):
        # Adding a record is the reset: the service removes the devices and writes the row under a lock.
        reset = services.reset_second_factor(
            actor=request.user, user=form.cleaned_data["user"], reason=form.cleaned_data.get("reason", "")
        )
        for field in SecondFactorReset._meta.concrete_fields:
            setattr(obj, field.attname, getattr(reset, field.attname))
        obj._state.adding = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
