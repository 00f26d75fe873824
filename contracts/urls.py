from django.urls import path

from contracts.views import readings

app_name = "contracts"

urlpatterns: list = [
    path("meters/<id:meter_id>/readings/new/", readings.reading_submit, name="reading_submit"),
    path("readings/upload/", readings.readings_upload, name="readings_upload"),
    # TEMPORARY on branch i-readings: B's meter page (contracts.views.meters) takes this name at merge.
    path("meters/<id:meter_id>/", readings.meter_placeholder, name="meter"),
]
