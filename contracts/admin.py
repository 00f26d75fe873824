"""Staff's side of contracts: contracts, supply points, meters, zone hours, binding attempts; the billing import.

Records come from billing (`manage.py import_billing` or the import page linked from the contracts list);
staff with the rights create and correct them here. Operators look (view permissions, accounts/roles.py);
administrators edit and import. A new binding code is issued through `contracts.codes` and shown once.
Readings are `contracts/admin_readings.py`'s.
"""

import datetime
import logging

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from audit.admin import HistoryAdmin
from contracts import codes
from contracts.admin_forms import (
    BillingImportForm,
    ContractAdminForm,
    MeterAdminForm,
    SupplyPointAdminForm,
    TariffZoneAdminForm,
)
from contracts.admin_readings import ReadingInline  # registers the readings admin too
from contracts.imports import ENTITY_LABELS, LAYOUTS, import_billing_file
from contracts.models import BindingAttempt, Contract, ContractBinding, Meter, SupplyPoint, TariffZone
from core.admin import ReadOnlyAdmin

logger = logging.getLogger(__name__)

# The result page lists at most this many refused rows (with the totals); the command prints them all.
REFUSED_ROWS_SHOWN = 500
VERIFICATION_SOON_DAYS = 60
# New binding codes at once from the list's action: a page of codes a person can hand out.
CODES_PER_ACTION = 100


class SupplyPointInline(admin.TabularInline):
    model = SupplyPoint
    fields = ("billing_id", "address", "max_power_kw", "voltage", "grid_company")
    extra = 0
    show_change_link = True


class BindingInline(admin.TabularInline):
    """Who the contract is bound to, now and before: the cabinet binds and unbinds, never the admin."""

    model = ContractBinding
    fields = ("user", "organisation", "bound_at", "bound_by", "unbound_at")
    readonly_fields = fields
    extra = 0
    ordering = ("-bound_at",)
    verbose_name_plural = gettext_lazy("привязки к личным кабинетам")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "organisation", "bound_by")


@admin.register(Contract)
class ContractAdmin(HistoryAdmin):
    form = ContractAdminForm
    change_list_template = "admin/contracts/contract/change_list.html"
    change_form_template = "admin/contracts/contract/change_form.html"
    list_display = ("number", "customer_name", "kind", "status", "tariff_or_category", "inn", "billing_id")
    list_filter = ("kind", "status", "customer_kind", "tariff", "price_category")
    search_fields = ("=number", "customer_name", "=inn", "=billing_id")
    readonly_fields = ("customer_kind", "binding_code_state", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("billing_id", "number", "kind", "status", "customer_kind")}),
        (gettext_lazy("Потребитель"), {"fields": ("customer_name", "inn", "address")}),
        (gettext_lazy("Сроки"), {"fields": ("signed_on", "effective_from", "effective_to")}),
        (gettext_lazy("Тариф"), {"fields": ("tariff", "price_category")}),
        (gettext_lazy("Служебное"), {"fields": ("binding_code_state", "created_at", "updated_at")}),
    )
    inlines = [SupplyPointInline, BindingInline]
    actions = ["issue_binding_codes"]
    show_full_result_count = False

    @admin.display(description=gettext_lazy("тариф / ценовая категория"))
    def tariff_or_category(self, obj):
        if obj.tariff:
            return obj.get_tariff_display()
        return _("%(n)s ЦК") % {"n": obj.price_category} if obj.price_category else "—"

    @admin.display(description=gettext_lazy("код привязки"))
    def binding_code_state(self, obj):
        if obj is None or not obj.binding_code:
            return _("не задан")
        return _("задан (хранится только хеш; новый код — кнопкой «Выдать новый код привязки»)")

    # --- a new binding code, shown once ----------------------------------------------------

    @admin.action(description=gettext_lazy("Выдать новый код привязки"), permissions=["change"])
    def issue_binding_codes(self, request, queryset):
        issued = []
        selected = queryset.count()
        if selected > CODES_PER_ACTION:
            messages.warning(
                request,
                _("Коды выданы первым %(limit)d договорам из %(n)d выбранных: выберите остальные и повторите.")
                % {"limit": CODES_PER_ACTION, "n": selected},
            )
        for pk in queryset.order_by("number").values_list("pk", flat=True)[:CODES_PER_ACTION]:
            contract, code = codes.issue_binding_code(pk)
            self.log_change(request, contract, _("Выдан новый код привязки."))
            issued.append((contract, code))
        return self._codes_page(request, issued)

    @method_decorator(never_cache)
    def new_code_view(self, request, object_id):
        contract = self.get_object(request, object_id)
        if contract is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, contract):
            raise PermissionDenied
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": contract,
                "title": _("Выдать новый код привязки"),
            }
            return TemplateResponse(request, "admin/contracts/contract/new_code_confirm.html", context)
        contract, code = codes.issue_binding_code(contract.pk)
        self.log_change(request, contract, _("Выдан новый код привязки."))
        return self._codes_page(request, [(contract, code)])

    def _codes_page(self, request, issued):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Новые коды привязки"),
            "issued": issued,
        }
        response = TemplateResponse(request, "admin/contracts/contract/new_codes.html", context)
        response["Cache-Control"] = "no-store"
        return response

    # --- the billing import ------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="{}_{}_import".format(*info)),
            path(
                "<path:object_id>/new-code/",
                self.admin_site.admin_view(self.new_code_view),
                name="{}_{}_new_code".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_import": request.user.has_perm("contracts.import_billing")}
        return super().changelist_view(request, extra_context)

    @method_decorator(never_cache)
    def import_view(self, request):
        if not request.user.has_perm("contracts.import_billing"):
            raise PermissionDenied
        form = BillingImportForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Импорт из биллинга"),
            "layouts": [(entity, ENTITY_LABELS[entity], columns) for entity, columns in LAYOUTS.items()],
            "form": form,
        }
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            report = import_billing_file(data["file"], entity=data["entity"] or None, dry_run=data["dry_run"])
            logger.info("billing import in the admin by user %s: %s", request.user.pk, report.summary())
            if report.file_error:
                form.add_error("file", report.file_error)
            else:
                refused = report.refused
                context.update(
                    report=report,
                    file_name=data["file"].name,
                    refused_shown=refused[:REFUSED_ROWS_SHOWN],
                    refused_total=len(refused),
                    refused_cut=len(refused) > REFUSED_ROWS_SHOWN,
                    title=_("Импорт из биллинга: результат"),
                )
                if report.saved:
                    messages.success(request, report.summary())
                return TemplateResponse(request, "admin/contracts/contract/import_result.html", context)
        return TemplateResponse(request, "admin/contracts/contract/import.html", context)


@admin.register(SupplyPoint)
class SupplyPointAdmin(HistoryAdmin):
    form = SupplyPointAdminForm
    list_display = ("address", "contract", "max_power_kw", "voltage", "grid_company", "billing_id")
    list_filter = ("voltage",)
    search_fields = ("address", "=billing_id", "=contract__number")
    list_select_related = ("contract",)
    autocomplete_fields = ("contract",)
    show_full_result_count = False


class VerificationFilter(admin.SimpleListFilter):
    title = gettext_lazy("поверка")
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [
            ("overdue", gettext_lazy("просрочена")),
            ("soon", gettext_lazy("в ближайшие 60 дней")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        in_service = queryset.filter(removed_on__isnull=True)
        if self.value() == "overdue":
            return in_service.filter(next_verification_on__lt=today)
        if self.value() == "soon":
            return in_service.filter(
                next_verification_on__gte=today,
                next_verification_on__lte=today + datetime.timedelta(days=VERIFICATION_SOON_DAYS),
            )
        return queryset


class InServiceFilter(admin.SimpleListFilter):
    title = gettext_lazy("в работе")
    parameter_name = "in_service"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("в работе")), ("no", gettext_lazy("снят"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(removed_on__isnull=True)
        if self.value() == "no":
            return queryset.filter(removed_on__isnull=False)
        return queryset


@admin.register(Meter)
class MeterAdmin(HistoryAdmin):
    form = MeterAdminForm
    list_display = (
        "serial_number", "model", "zones", "remote", "supply_point", "next_verification_on", "removed_on",
        "replaced_by",
    )  # fmt: skip
    list_filter = ("zones", "remote", VerificationFilter, InServiceFilter)
    search_fields = ("=serial_number", "=billing_id")
    list_select_related = ("supply_point", "replaced_by")
    autocomplete_fields = ("supply_point",)
    # An optional autocomplete draws an empty <option> with no label; the id field with its lookup does not.
    raw_id_fields = ("replaced_by",)
    show_full_result_count = False
    inlines = [ReadingInline]


@admin.register(TariffZone)
class TariffZoneAdmin(HistoryAdmin):
    """Zone hours are data (design §2.4): regions differ. The set of zones is fixed by the tariffs."""

    form = TariffZoneAdminForm
    list_display = ("tariff", "code", "name", "hours")
    list_filter = ("tariff",)
    readonly_fields = ("tariff", "code")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BindingAttempt)
class BindingAttemptAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "organisation", "number", "succeeded", "reason", "ip_address")
    list_filter = ("succeeded",)
    search_fields = ("=number", "=user__email")
    list_select_related = ("user", "organisation")
    date_hierarchy = "created_at"
    show_full_result_count = False


# The contract applications' queue and work page, and the checklist of documents (their own module).
from contracts import admin_applications  # noqa: E402,F401
