"""Readings in the admin: the list, a meter's history, staff's entry, and the month's export for billing.

- «Показания»: filters by month and source, search by the meter's serial number;
  a reading is never edited in place — staff enter the month's reading again
  («Добавить»), through the same service as the cabinet (contracts.services.readings,
  source «сотрудник»: every rule except the window), which corrects the month.
- `ReadingInline`: the read-only history on the meter's page.
- Export: the accepted readings of one month, one row per meter and zone, as CSV
  (streamed, `;`-separated, UTF-8 with BOM for Excel) or XLSX (XlsxWriter's constant-memory
  mode into a temporary file) — never all rows in memory.

contracts/admin.py imports it: the meter admin shows `ReadingInline`.
"""

import re
from datetime import date

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.admin import HistoryAdmin
from audit.models import PersonalDataRead
from audit.services import read_record
from contracts.models import Meter, Reading
from contracts.services.readings import FIELDS, reading_window, submit_reading
from core.exports import csv_lines, csv_response, xlsx_response
from core.exports import write_xlsx as write_table_xlsx
from core.forms import add_service_error

EXPORT_CHUNK = 2000
_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)


def _header():
    return [
        _("Договор / лицевой счёт"),
        _("Код договора в биллинге"),
        _("Код счётчика в биллинге"),
        _("Заводской номер"),
        _("Зона"),
        _("Показание, кВт·ч"),
        _("Передано"),
        _("Источник"),
    ]


def export_rows(period: date):
    """(contract, contract's billing id, meter's billing id, serial, zone, value, submitted at, source) per zone.

    Reads the month through the period index in chunks (a server-side cursor on PostgreSQL).
    """
    sources = dict(Reading.Source.choices)
    tz = timezone.get_default_timezone()
    rows = (
        Reading.objects.filter(period=period)
        .order_by("meter__supply_point__contract__number", "meter__serial_number")
        .values_list(
            F("meter__supply_point__contract__number"),
            F("meter__supply_point__contract__billing_id"),
            F("meter__billing_id"),
            F("meter__serial_number"),
            "t1",
            "t2",
            "t3",
            "submitted_at",
            "source",
        )
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    for number, contract_billing_id, meter_billing_id, serial, t1, t2, t3, submitted_at, source in rows:
        submitted = timezone.localtime(submitted_at, tz).replace(tzinfo=None, microsecond=0)
        for field, value in zip(FIELDS, (t1, t2, t3), strict=True):
            if value is not None:
                yield [
                    number, contract_billing_id, meter_billing_id, serial, field.upper(), value, submitted,
                    str(sources.get(source, source)),
                ]


def _csv_row(row):
    row[6] = row[6].strftime("%Y-%m-%d %H:%M:%S")
    return row


def _sheet_title(period: date) -> str:
    return period.strftime("%Y-%m")


def export_response(period: date, kind: str, filename: str):
    """The month's export as a download, through core.exports like every other table."""
    if kind == "csv":
        return csv_response(filename, _header(), export_rows(period), convert=_csv_row, chunk=EXPORT_CHUNK)
    return xlsx_response(filename, title=_sheet_title(period), header=_header(), rows=export_rows(period))


# The same files without a response, for bench/readings_export.py.
def stream_csv(period: date):
    return csv_lines(_header(), export_rows(period), convert=_csv_row, chunk=EXPORT_CHUNK)


def write_xlsx(period: date, target) -> None:
    write_table_xlsx(target, title=_sheet_title(period), header=_header(), rows=export_rows(period))


class ExportForm(forms.Form):
    month = forms.CharField(
        label=gettext_lazy("Месяц"),
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=gettext_lazy("Например: 2026-12."),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Формат"), choices=[("csv", "CSV"), ("xlsx", "XLSX")], initial="csv",
        widget=forms.RadioSelect,
    )

    def clean_month(self):
        return parse_month(self.cleaned_data["month"])


def parse_month(raw: str) -> date:
    match = _MONTH.fullmatch((raw or "").strip())
    if not match or not 1 <= int(match[2]) <= 12 or not 2000 <= int(match[1]) <= 2100:
        raise ValidationError(_("Укажите месяц в виде ГГГГ-ММ, например 2026-12."), code="month")
    return date(int(match[1]), int(match[2]), 1)


class StaffReadingForm(forms.Form):
    serial_number = forms.CharField(label=gettext_lazy("Заводской номер счётчика"), max_length=40)
    month = forms.CharField(
        label=gettext_lazy("Месяц"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=gettext_lazy("ГГГГ-ММ; пусто — текущий месяц. Показания за месяц, где они уже есть, заменяются."),
    )
    t1 = forms.CharField(label="T1, кВт·ч", required=False, max_length=30)
    t2 = forms.CharField(label="T2, кВт·ч", required=False, max_length=30)
    t3 = forms.CharField(label="T3, кВт·ч", required=False, max_length=30)
    comment = forms.CharField(
        label=gettext_lazy("Комментарий"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_serial_number(self):
        serial = self.cleaned_data["serial_number"].strip()
        meter = Meter.objects.filter(serial_number=serial).first()
        if meter is None:
            raise ValidationError(_("Счётчика с таким заводским номером нет."), code="not_found")
        self.meter = meter
        return serial

    def clean_month(self):
        raw = self.cleaned_data["month"]
        return parse_month(raw) if raw.strip() else None


class PeriodFilter(admin.SimpleListFilter):
    title = gettext_lazy("месяц")
    parameter_name = "month"

    def lookups(self, request, model_admin):
        period = reading_window().period
        months = []
        for _i in range(18):
            months.append((period.strftime("%Y-%m"), period.strftime("%m.%Y")))
            period = date(period.year - (period.month == 1), (period.month - 2) % 12 + 1, 1)
        return months

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            return queryset.filter(period=parse_month(self.value()))
        except ValidationError:
            return queryset.none()


class ReadingInline(admin.TabularInline):
    """A meter's history on its admin page, newest first; read-only (staff enter readings via «Показания»)."""

    model = Reading
    fields = ["period", "t1", "t2", "t3", "source", "submitted_at", "submitted_by"]
    readonly_fields = fields
    ordering = ["-period"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reading)
class ReadingAdmin(HistoryAdmin):
    list_display = [
        "meter", "contract_number", "period_display", "t1", "t2", "t3", "source", "submitted_at", "needs_review",
    ]
    list_filter = [PeriodFilter, "source", "needs_review"]
    actions = ["mark_reviewed"]
    search_fields = ["=meter__serial_number"]
    search_help_text = gettext_lazy("Заводской номер счётчика целиком.")
    list_select_related = ["meter__supply_point__contract"]
    readonly_fields = [
        "meter", "period", "t1", "t2", "t3", "source", "submitted_by", "submitted_at", "comment", "needs_review",
    ]
    ordering = ["-period", "meter__serial_number"]
    show_full_result_count = False
    change_list_template = "admin/contracts/reading/change_list.html"

    @admin.display(description=gettext_lazy("договор"), ordering="meter__supply_point__contract__number")
    def contract_number(self, obj):
        return obj.meter.supply_point.contract.number

    @admin.display(description=gettext_lazy("период"), ordering="period")
    def period_display(self, obj):
        return obj.period.strftime("%m.%Y")

    @admin.action(description=gettext_lazy("Отметить как проверенные"), permissions=["add"])
    def mark_reviewed(self, request, queryset):
        count = queryset.filter(needs_review=True).update(needs_review=False)
        messages.success(request, _("Проверено показаний: %(n)d.") % {"n": count})

    def has_change_permission(self, request, obj=None):
        return False  # a month's reading is replaced by entering it again, through the service

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("export/", self.admin_site.admin_view(self.export_view), name="{}_{}_export".format(*info)),
            *super().get_urls(),
        ]

    # --- staff's entry, through the service ---------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = StaffReadingForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                result = submit_reading(
                    request.user,
                    form.meter,
                    [data["t1"], data["t2"], data["t3"]],
                    source=Reading.Source.STAFF,
                    period=data["month"],
                    comment=data["comment"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                reading = result.reading
                text = _("Показания за %(month)s по счётчику № %(serial)s исправлены.") if result.corrected else _(
                    "Показания за %(month)s по счётчику № %(serial)s приняты."
                )
                month = reading.period.strftime("%m.%Y")
                messages.success(request, text % {"month": month, "serial": data["serial_number"]})
                return HttpResponseRedirect(reverse("admin:contracts_reading_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Ввод показаний сотрудником"),
            "form": form,
            "intro": _(
                "Те же правила, что в личном кабинете, кроме окна приёма: целые кВт·ч, по значению на каждую зону "
                "счётчика, не меньше предыдущих принятых. Замену счётчика или переход через ноль оформляют отдельно."
            ),
            "submit_label": _("Сохранить показания"),
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/contracts/reading/form.html", context)

    # --- the month's export for billing ----------------------------------------------------

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ExportForm(request.GET if "month" in request.GET else None)
        if form.is_bound and form.is_valid():
            period, kind = form.cleaned_data["month"], form.cleaned_data["format"]
            name = f"readings-{period:%Y-%m}.{kind}"
            read_record(request, kind=PersonalDataRead.Kind.EXPORT, reference=name)
            return export_response(period, kind, name)
        if not form.is_bound:
            form = ExportForm(initial={"month": reading_window().period.strftime("%Y-%m"), "format": "csv"})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Выгрузка показаний для биллинга"),
            "form": form,
            "intro": _(
                "Принятые показания за месяц: строка на каждый счётчик и зону — договор, коды в биллинге, заводской "
                "номер, зона, показание, время передачи и источник."
            ),
            "submit_label": _("Выгрузить"),
            "method": "get",
            "has_view_permission": True,
        }
        status = 400 if form.is_bound else 200
        return TemplateResponse(request, "admin/contracts/reading/form.html", context, status=status)
