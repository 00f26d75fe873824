from django.urls import path, register_converter

from contracts import views


class ContractNumberConverter:
    """A contract's number in a URL. Organisations' numbers may hold a slash («КП-2024/002»), so the
    number may span segments — but never starts where the app's own pages do (an out-of-range meter
    id is a 404, not a contract numbered «meters/…»)."""

    regex = r"(?!(?:meters|readings|bind)/)[^/].*?"

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
    path("<contract_number:number>/unbind/", views.contract_unbind, name="unbind"),
    path("<contract_number:number>/", views.contract_detail, name="detail"),
]
