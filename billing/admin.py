"""Staff's view of billing's copies and the portal's online payments: read-only (billing is the source; an online
payment changes only through billing.services.payments). Loading goes through the contracts' import page."""

from django.contrib import admin

from billing.models import Balance, Charge, Document, OnlinePayment, Payment, PaymentEvent
from core.admin import ReadOnlyAdmin


@admin.register(Charge)
class ChargeAdmin(ReadOnlyAdmin):
    list_display = ("contract", "period", "kind", "amount", "billing_id")
    list_filter = ("kind",)
    search_fields = ("=billing_id", "=contract__number")
    list_select_related = ("contract",)
    show_full_result_count = False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("contract", "paid_on", "amount", "channel", "billing_id")
    search_fields = ("=billing_id", "=contract__number")
    list_select_related = ("contract",)
    show_full_result_count = False


@admin.register(Balance)
class BalanceAdmin(ReadOnlyAdmin):
    list_display = ("contract", "as_of", "amount", "debt_warning", "warned_at", "billing_id")
    list_filter = ("debt_warning",)
    search_fields = ("=billing_id", "=contract__number")
    list_select_related = ("contract",)
    show_full_result_count = False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("contract", "kind", "period", "number", "amount", "billing_id")
    list_filter = ("kind",)
    search_fields = ("=billing_id", "=contract__number", "=number")
    list_select_related = ("contract",)
    exclude = ("file",)
    show_full_result_count = False


class PaymentEventInline(admin.TabularInline):
    model = PaymentEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "detail")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OnlinePayment)
class OnlinePaymentAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "contract", "amount", "status", "provider", "provider_payment_id", "created_at")
    list_filter = ("status", "provider")
    search_fields = ("=provider_payment_id", "=contract__number")
    list_select_related = ("contract",)
    exclude = ("confirmation_url",)
    inlines = [PaymentEventInline]
    show_full_result_count = False
