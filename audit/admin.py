"""The journals in the admin: read-only, for administrators; and the history pages of audited objects."""

from django.contrib import admin
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdmin
from core.exports import csv_response

from .models import BulkChange, PersonalDataRead, SecurityEvent
from .services import read_record


class HistoryAdmin(SimpleHistoryAdmin):
    """An admin with the object's change history («История»): who, when, from where, before → after.

    Looking only: there is no revert (SIMPLE_HISTORY_REVERT_DISABLED, and the page of one old version,
    whose form would save it back over the object, is a 404); historical models have no admin of their
    own, so nobody edits or deletes a history row through the portal.
    """

    def history_view_title(self, request, obj):
        return _("История изменений: %s") % obj

    def get_urls(self):
        return [url for url in super().get_urls() if not (url.name or "").endswith("_simple_history")]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history's page of one old version is a form that, posted, saves that version back
        # over the object; the history list already shows every change before → after.
        raise Http404


class RecordsPersonalDataReads:
    """A customer's card in the admin: each opening by staff is written to the reads journal."""

    personal_data_kind = PersonalDataRead.Kind.CARD

    def personal_data_subject(self, obj) -> dict:
        return {"subject_id": obj.pk}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = (getattr(response, "context_data", None) or {}).get("original")
        if request.method == "GET" and response.status_code == 200 and original is not None:
            read_record(request, kind=self.personal_data_kind, reference=str(original.pk),
                        **self.personal_data_subject(original))
        return response


@admin.register(PersonalDataRead)
class PersonalDataReadAdmin(ReadOnlyAdmin):
    """«Кто смотрел данные клиента»: filter by the customer (search by e-mail or id) and a period, download CSV.

    A period: the date hierarchy (a month, a day) or `?at__gte=…&at__lt=…` (with the zone offset) in the address.
    """

    list_display = ("at", "staff", "ip_address", "kind", "subject", "organisation", "reference")
    list_filter = ("kind", "at")
    list_select_related = ("staff", "subject", "organisation")
    date_hierarchy = "at"
    search_fields = ("=subject__email", "=subject__id", "=organisation__inn", "=staff__email")
    search_help_text = _("Почта или номер клиента, ИНН организации, почта сотрудника")
    change_list_template = "admin/audit/personaldataread/change_list.html"
    show_facets = admin.ShowFacets.NEVER

    def lookup_allowed(self, lookup, value, request=None):
        if lookup in ("at__gte", "at__lt", "at__lte", "subject__id__exact", "organisation__id__exact"):
            return True
        return super().lookup_allowed(lookup, value, request)

    def get_urls(self):
        return [
            path("export/", self.admin_site.admin_view(self.export_view),
                 name="audit_personaldataread_export"),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """The list as it is filtered now, as CSV (UTF-8 with a BOM so that Excel reads the Cyrillic)."""
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        rows = self.get_changelist_instance(request).get_queryset(request)
        header = [str(_("когда")), str(_("сотрудник")), str(_("адрес")), str(_("что открыто")),
                  str(_("клиент")), str(_("организация")), str(_("объект")), str(_("адрес страницы"))]
        kinds = dict(PersonalDataRead.Kind.choices)
        lines = (
            [timezone.localtime(row.at).strftime("%d.%m.%Y %H:%M:%S"), row.staff.email if row.staff else "",
             row.ip_address or "", str(kinds.get(row.kind, row.kind)), row.subject_id or "",
             row.organisation_id or "", row.reference, row.path]
            for row in rows.iterator(chunk_size=2000)
        )
        return csv_response("personal-data-reads.csv", header, lines)


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "user", "username", "actor", "ip_address", "detail")
    list_filter = ("kind", "at")
    list_select_related = ("user", "actor")
    date_hierarchy = "at"
    search_fields = ("=username", "=user__email", "=ip_address")
    show_facets = admin.ShowFacets.NEVER


@admin.register(BulkChange)
class BulkChangeAdmin(ReadOnlyAdmin):
    list_display = ("at", "what", "actor", "ip_address", "summary")
    list_select_related = ("actor",)
    date_hierarchy = "at"
    show_facets = admin.ShowFacets.NEVER
