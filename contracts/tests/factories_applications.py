"""Helpers for the contract application tests: build state through the services."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import StaffFactory
from contracts.application_files import APPLICATION_DOCUMENTS
from contracts.models import Contract
from contracts.models_applications import ApplicationKind, RequiredDocument
from contracts.services import application_staff as staff
from contracts.services import applications as services

MOSCOW = ZoneInfo("Europe/Moscow")
# Monday 2 March 2026, 10:00 Moscow time (9 March is a holiday).
NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=MOSCOW)

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/MediaBox[0 0 612 792]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf(name="скан.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def checked(name="скан.pdf", content=PDF_BYTES):
    return APPLICATION_DOCUMENTS.check_many([pdf(name, content)])


def reviewer(**kwargs):
    user = StaffFactory(**kwargs)
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="contracts",
        codename__in=["view_contractapplication", "change_contractapplication", "review_contractapplication"],
    ))
    return type(user).objects.get(pk=user.pk)


POINT = {"address": "г. Москва, ул. Заводская, д. 5", "max_power_kw": Decimal("150.00"), "voltage": "MV2",
         "meter_serial": "NEW-0001", "meter_zones": 1}


def org_draft(admin, organisation, *, now=NOW, points=(POINT,), **fields):
    return services.application_create_draft(
        actor=admin, kind=ApplicationKind.CONCLUDE, organisation=organisation,
        fields={"customer_name": organisation.name, "inn": organisation.inn, "price_category": 3,
                "contact_phone": "+79161234567", **fields},
        points=list(points), now=now,
    )


def resident_draft(user, *, kind=ApplicationKind.CONCLUDE, contract=None, now=NOW, **fields):
    points = [] if contract else [{"address": "г. Москва, ул. Ленина, д. 1, кв. 5", "max_power_kw": Decimal("15"),
                                   "voltage": "LV", "meter_serial": "", "meter_zones": 1}]
    return services.application_create_draft(
        actor=user, kind=kind, contract=contract,
        fields={"customer_name": "Смирнова Анна", "address": "г. Москва, ул. Ленина, д. 1, кв. 5",
                "tariff": "two_zone", **fields},
        points=points, now=now,
    )


def upload_all(application, actor, *, now=NOW):
    for requirement in RequiredDocument.objects.filter(
        kind=application.kind, customer_kind=application.customer_kind, is_active=True
    ):
        services.application_add_documents(application.pk, actor=actor, files=checked(), requirement_id=requirement.pk,
                                           now=now)


def submitted(application, actor, *, now=NOW):
    upload_all(application, actor, now=now)
    return services.application_submit(application.pk, actor=actor, now=now)


def signed(application, actor, operator, *, now=NOW, number="ЭС-2026/100"):
    application.refresh_from_db()
    if application.status == application.Status.SUBMITTED:
        staff.application_take(application.pk, actor=operator, now=now)
    staff.application_send_draft(application.pk, actor=operator, draft=pdf("проект.pdf"), now=now)
    return staff.application_sign(application.pk, actor=operator, signed=pdf("договор.pdf"), contract_number=number,
                                  now=now)


__all__ = ["Contract"]


def bind_to(contract, *, user=None, organisation=None):
    from django.utils import timezone

    from contracts.models import ContractBinding

    return ContractBinding.objects.create(contract=contract, user=user, organisation=organisation,
                                          bound_at=timezone.now())
