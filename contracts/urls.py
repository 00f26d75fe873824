from django.urls import path, register_converter

from contracts import views


class ContractNumberConverter:
    """A contract's number in a URL. Organisations' numbers may hold a slash («КП-2024/002»), so the
    number may span segments — but never starts where the app's own pages do (an out-of-range meter
    id is a 404, not a contract numbered «meters/…»)."""

    regex = r"(?!(?:meters|readings|bind|apply|applications)/)[^/].*?"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ContractNumberConverter, "contract_number")

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("bind/", views.contract_bind, name="bind"),
    path("meters/<id:meter_id>/", views.meter_detail, name="meter"),
    path("meters/<id:meter_id>/readings/new/", views.reading_submit, name="reading_submit"),
    path("readings/upload/", views.readings_upload, name="readings_upload"),
    # Contract applications (ПП 442 п. 39): start one, complete it, follow it.
    path("apply/", views.apply_start, name="apply"),
    path("apply/<slug:kind>/", views.apply_form, name="apply_kind"),
    path("applications/", views.application_list, name="applications"),
    path("applications/<id:application_id>/", views.application_detail, name="application"),
    path("applications/<id:application_id>/edit/", views.application_edit, name="application_edit"),
    path("applications/<id:application_id>/documents/", views.application_upload, name="application_upload"),
    path("applications/<id:application_id>/documents/<id:document_id>/", views.application_document,
         name="application_document"),
    path("applications/<id:application_id>/submit/", views.application_submit, name="application_submit"),
    path("applications/<id:application_id>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<id:application_id>/draft.pdf", views.application_draft, name="application_draft"),
    path("applications/<id:application_id>/signed.pdf", views.application_signed, name="application_signed"),
    path("<contract_number:number>/unbind/", views.contract_unbind, name="unbind"),
    path("<contract_number:number>/", views.contract_detail, name="detail"),
]
