from django.urls import path

import contracts.urls  # noqa: F401 - registers the `contract_number` converter these routes use
from billing.views import cabinet, payments

app_name = "billing"

urlpatterns = [
    path("", cabinet.overview, name="overview"),
    path("organisations/<id:organisation_id>/", cabinet.organisation_summary, name="organisation"),
    path(
        "organisations/<id:organisation_id>/documents/", cabinet.organisation_documents, name="organisation_documents"
    ),
    path("payments/<uuid:payment_uuid>/", payments.payment_detail, name="payment"),
    path("payments/notifications/<slug:provider>/", payments.notification, name="notification"),
    path("dev-checkout/<slug:provider_id>/", payments.dev_checkout, name="dev_checkout"),
    path("contracts/<contract_number:number>/documents/<id:document_id>/", cabinet.document_download, name="document"),
    path("contracts/<contract_number:number>/pay/", payments.pay, name="pay"),
    path("contracts/<contract_number:number>/", cabinet.contract_finances, name="contract"),
]
