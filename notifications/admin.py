from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdmin
from notifications import services
from notifications.events import get_reminder_policy_spec
from notifications.models import Notification, NotificationPreference, Reminder, ReminderPolicy


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The outbox, for staff: what went out, what failed and why; failed rows can be resent."""

    list_display = ("created_at", "event", "channel", "address", "subject", "status", "attempts", "sent_at")
    list_filter = ("status", "channel", "legally_required")
    search_fields = ("=to_email", "=to_phone", "=dedup_key", "=recipient__email")
    list_select_related = ("recipient",)
    show_full_result_count = False
    ordering = ("-created_at",)
    actions = ("resend",)
    readonly_fields = [f.name for f in Notification._meta.fields]
    fieldsets = (
        (None, {"fields": ("event", "channel", "recipient", "to_email", "to_phone", "language", "legally_required")}),
        (_("Содержание"), {"fields": ("subject", "body_text", "link_url", "message_id")}),
        (
            _("Доставка"),
            {
                "fields": (
                    "status",
                    "attempts",
                    "next_attempt_at",
                    "claimed_at",
                    "requeues",
                    "sent_at",
                    "last_error",
                    "provider_message_id",
                    "dedup_key",
                    "created_at",
                    "read_at",
                )
            },
        ),
    )

    @admin.display(description=_("адрес"))
    def address(self, obj):
        return obj.address

    @admin.action(description=_("Отправить повторно (только недоставленные)"), permissions=["resend"])
    def resend(self, request, queryset):
        count = services.notifications_resend(notification_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext(
                "%(count)d уведомление поставлено в очередь повторно.",
                "%(count)d уведомлений поставлено в очередь повторно.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    def has_resend_permission(self, request):
        return request.user.has_perm("notifications.resend_notification")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "event", "channel", "enabled", "updated_at")
    list_filter = ("channel", "enabled")
    search_fields = ("=user__email", "event")
    list_select_related = ("user",)
    readonly_fields = ("user", "event", "channel", "enabled", "updated_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReminderPolicyForm(forms.ModelForm):
    class Meta:
        model = ReminderPolicy
        fields = ("enabled", "values")

    def clean_values(self):
        raw = self.cleaned_data["values"].replace(" ", "")
        try:
            numbers = [int(v) for v in raw.split(",") if v]
        except ValueError:
            raise forms.ValidationError(_("Укажите целые числа через запятую, например: 3,1.")) from None
        try:
            spec = get_reminder_policy_spec(self.instance.key)
        except LookupError:
            return ",".join(map(str, numbers))
        if spec.value_count and len(numbers) != spec.value_count:
            raise forms.ValidationError(
                _("Укажите чисел: %(count)d (через запятую).") % {"count": spec.value_count}
            )
        if not numbers:
            raise forms.ValidationError(_("Укажите хотя бы одно число."))
        for number in numbers:
            if not spec.min_value <= number <= spec.max_value:
                raise forms.ValidationError(
                    _("Числа должны быть от %(min)d до %(max)d.") % {"min": spec.min_value, "max": spec.max_value}
                )
        return ",".join(map(str, numbers))


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    """The reminder ladders' settings; rows appear for every rung the domain apps declare."""

    form = ReminderPolicyForm
    list_display = ("label", "enabled", "values")
    list_editable = ("enabled",)
    readonly_fields = ("key", "label", "description")
    fields = ("key", "label", "description", "enabled", "values")

    def changelist_view(self, request, extra_context=None):
        services.reminder_policies_ensure()
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("правило"))
    def label(self, obj):
        try:
            return get_reminder_policy_spec(obj.key).label
        except LookupError:
            return obj.key

    @admin.display(description=_("описание"))
    def description(self, obj):
        try:
            return get_reminder_policy_spec(obj.key).help_text
        except LookupError:
            return ""


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "subject", "object_id", "kind", "due_on")
    list_filter = ("subject", "kind")
    search_fields = ("=object_id",)
    ordering = ("-pk",)  # newest first through the primary key: the ledger has no date index
    show_full_result_count = False

