from django.urls import path

from contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("bind/", views.contract_bind, name="bind"),
    path("meters/<id:meter_id>/", views.meter_detail, name="meter"),
    path("meters/<id:meter_id>/readings/new/", views.reading_submit, name="reading_submit"),
    path("readings/upload/", views.readings_upload, name="readings_upload"),
    # Organisations' contract numbers may hold a slash («КП-2024/002»): `path`, and unbind matched first.
    path("<path:number>/unbind/", views.contract_unbind, name="unbind"),
    path("<path:number>/", views.contract_detail, name="detail"),
]
