from django.urls import path, register_converter

from billing.views import cabinet, payments
from contracts.urls import ContractNumberConverter


class FinancesNumberConverter(ContractNumberConverter):
    """A contract's number (it may hold a slash, «КП-2024/002») that never swallows this app's own suffixes:
    «…/documents/<an id out of range>/» is a 404, not the contract page of a number «…/documents/…»."""

    regex = r"[^/](?:(?!/(?:documents|pay)/).)*?"


register_converter(FinancesNumberConverter, "finances_number")

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
    path("contracts/<finances_number:number>/documents/<id:document_id>/", cabinet.document_download, name="document"),
    path("contracts/<finances_number:number>/pay/", payments.pay, name="pay"),
    path("contracts/<finances_number:number>/", cabinet.contract_finances, name="contract"),
]
