"""The cabinet's contracts, personal accounts and meters; URL names stay in contracts/urls.py."""

from contracts.views.applications import (
    application_detail,
    application_document,
    application_draft,
    application_edit,
    application_list,
    application_signed,
    application_submit,
    application_upload,
    application_withdraw,
    apply_form,
    apply_start,
)
from contracts.views.contracts import contract_bind, contract_detail, contract_list, contract_unbind
from contracts.views.meters import meter_detail
from contracts.views.readings import reading_submit, readings_upload

__all__ = [
    "application_detail",
    "application_document",
    "application_draft",
    "application_edit",
    "application_list",
    "application_signed",
    "application_submit",
    "application_upload",
    "application_withdraw",
    "apply_form",
    "apply_start",
    "contract_bind",
    "contract_detail",
    "contract_list",
    "contract_unbind",
    "meter_detail",
    "reading_submit",
    "readings_upload",
]
