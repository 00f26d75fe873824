"""What the portal says about paying is true for the deployment: online payment is offered — on the public
payment page, the contract's page and in the notices — only when a payment provider is configured and usable
(production's default is none); otherwise they say how else to pay, and the payment URLs never answer 500."""

import importlib
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from accounts.tests.factories import UserFactory
from billing.models import Balance, Document, OnlinePayment
from billing.reminders import billing_notices_scan
from billing.services import payments as service
from contracts.tests.factories import ContractFactory, bind
from notifications.models import Notification
from pages.markup import render_markdown
from pages.models import Page, SearchEntry

from .builders import make_history

pytestmark = pytest.mark.django_db

DEVELOPMENT = "billing.payments.development.DevelopmentProvider"
# Named but unusable: YooKassa without its keys (a deployment half configured).
YOOKASSA = "billing.payments.yookassa.YooKassaProvider"
OFF = ("", YOOKASSA, "billing.payments.nowhere.Provider")


@pytest.fixture
def resident():
    user = UserFactory()
    contract = ContractFactory()
    bind(contract, user=user)
    make_history(contract, months=2, warning=True)
    return user, contract


def test_the_payment_page_points_to_the_cabinet(client):
    page = Page.objects.get(key="payment")
    assert "/billing/" in page.body and "в личном кабинете" in page.body
    html = client.get(page.get_absolute_url()).content.decode()
    assert 'href="/billing/"' in html


@pytest.mark.parametrize("provider", OFF)
def test_without_a_provider_the_payment_page_promises_no_online_payment(client, settings, provider):
    settings.PAYMENTS_PROVIDER, settings.YOOKASSA_SHOP_ID, settings.YOOKASSA_SECRET_KEY = provider, "", ""
    page = Page.objects.get(key="payment")
    html = client.get(page.get_absolute_url()).content.decode()
    assert "data-pay-online" not in html
    assert "онлайн" not in html.lower() and "Оплатить" not in html
    assert "реквизиты указаны в квитанции" in html


def test_with_a_provider_the_payment_page_offers_it(client, settings):
    settings.PAYMENTS_PROVIDER = DEVELOPMENT
    html = client.get(Page.objects.get(key="payment").get_absolute_url()).content.decode()
    assert "data-pay-online" in html and "Оплатить онлайн в личном кабинете" in html


def test_the_seeded_promise_is_taken_back_from_a_page_as_seeded_but_not_from_an_edited_one():
    migration = importlib.import_module("pages.migrations.0006_payment_page_promises_no_online_payment")
    page = Page.objects.get(key="payment")
    seeded = page.body.replace(migration.NEW_SENTENCE, migration.OLD_SENTENCE).replace(
        "## Способы оплаты\n\n", "## Способы оплаты\n\n" + migration.CABINET_ITEM
    )
    page.body, page.body_html = seeded, render_markdown(seeded)
    page.save()
    migration.forwards(django_apps, None)
    page.refresh_from_db()
    assert "Оплатить" not in page.body and "онлайн" not in page.body_html
    assert "[в личном кабинете](/billing/)" in page.body
    edited = seeded.replace("через платёжный сервис", "через наш платёжный сервис")
    Page.objects.filter(pk=page.pk).update(body=edited)
    migration.forwards(django_apps, None)
    assert Page.objects.get(pk=page.pk).body == edited


def test_the_promise_is_taken_back_from_a_seeded_page_saved_through_the_admin_with_crlf():
    migration = importlib.import_module("pages.migrations.0006_payment_page_promises_no_online_payment")
    page = Page.objects.get(key="payment")
    seeded = page.body.replace(migration.NEW_SENTENCE, migration.OLD_SENTENCE).replace(
        "## Способы оплаты\n\n", "## Способы оплаты\n\n" + migration.CABINET_ITEM
    )
    Page.objects.filter(pk=page.pk).update(body=seeded.replace("\n", "\r\n"), body_html=render_markdown(seeded))
    SearchEntry.objects.filter(kind="page", object_id=page.pk).update(text="кнопка «Оплатить» — оплата онлайн")
    migration.forwards(django_apps, None)
    page.refresh_from_db()
    assert "Оплатить" not in page.body and "онлайн" not in page.body_html
    assert "[в личном кабинете](/billing/)" in page.body and 'href="/billing/"' in page.body_html
    # The page's search entry is rewritten too: it no longer carries the promise taken back.
    entry = SearchEntry.objects.get(kind="page", object_id=page.pk)
    assert "Оплатить" not in entry.text and "в разделе «Начисления и оплата»" in entry.text


def test_the_migration_imports_no_module_of_the_project():
    source = (Path(__file__).resolve().parents[2] / "pages" / "migrations"
              / "0006_payment_page_promises_no_online_payment.py").read_text()  # fmt: skip
    assert "from pages" not in source and "import pages" not in source


@pytest.mark.parametrize("provider", OFF)
def test_without_a_provider_the_cabinet_says_how_else_to_pay(client, settings, resident, provider):
    settings.PAYMENTS_PROVIDER, settings.YOOKASSA_SHOP_ID, settings.YOOKASSA_SECRET_KEY = provider, "", ""
    user, contract = resident
    client.force_login(user)
    html = client.get(reverse("billing:contract", args=[contract.number])).content.decode()
    assert "data-pay-button" not in html and "Онлайн-платёж" not in html
    assert "data-pay-offline" in html and reverse("pages:page", args=["oplata"]) in html
    pay = reverse("billing:pay", args=[contract.number])
    for response in (client.get(pay), client.post(pay, {"amount": "5"})):
        assert response.status_code == 200
        assert "Онлайн-оплата сейчас недоступна" in response.content.decode()
        assert "Перейти к оплате" not in response.content.decode()
    assert not OnlinePayment.objects.exists()
    assert client.post(reverse("billing:notification", args=["yookassa"]), b"{}",
                       content_type="application/json").status_code == 400  # fmt: skip
    assert client.get(reverse("billing:dev_checkout", args=["dev-x"])).status_code == 404


def test_a_payment_made_before_the_provider_was_switched_off_still_shows(client, settings, resident):
    user, contract = resident
    payment = service.payment_start(user=user, number=contract.number, amount=Decimal("10.00"),
                                    return_url_for=lambda p: "http://testserver/")  # fmt: skip
    settings.PAYMENTS_PROVIDER = ""
    client.force_login(user)
    response = client.get(reverse("billing:payment", args=[payment.uuid]))
    assert response.status_code == 200 and 'data-payment-status="pending"' in response.content.decode()


@pytest.mark.parametrize("provider", OFF)
def test_the_service_refuses_plainly_without_a_provider(settings, resident, provider):
    settings.PAYMENTS_PROVIDER, settings.YOOKASSA_SHOP_ID, settings.YOOKASSA_SECRET_KEY = provider, "", ""
    user, contract = resident
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        service.payment_start(user=user, number=contract.number, amount=Decimal("10.00"),
                              return_url_for=lambda p: "http://testserver/")  # fmt: skip
    assert "Онлайн-оплата сейчас недоступна" in refused.value.messages[0]


@pytest.mark.parametrize(("provider", "online"), [("", False), (YOOKASSA, False), (DEVELOPMENT, True)])
def test_the_notices_offer_paying_online_only_when_it_is_there(settings, resident, provider, online):
    settings.PAYMENTS_PROVIDER, settings.YOOKASSA_SHOP_ID, settings.YOOKASSA_SECRET_KEY = provider, "", ""
    _user, contract = resident
    assert Document.objects.filter(contract=contract).update(notified_at=None)
    assert Balance.objects.filter(contract=contract, debt_warning=True).exists()
    billing_notices_scan()
    bill = Notification.objects.filter(event="billing.new_document", channel="email").first()
    warning = Notification.objects.get(event="billing.debt_warning", channel="email")
    assert ("оплатить онлайн" in bill.body_text) is online
    assert ("Оплатить можно в личном кабинете" in warning.body_text) is online
    if not online:
        assert "онлайн" not in bill.body_text + warning.body_text
        assert "Оплатить можно по квитанции" in warning.body_text


def test_a_misconfigured_provider_is_built_and_logged_once_and_named_by_the_system_check(settings, caplog,
                                                                                         monkeypatch):  # fmt: skip
    from django.core.management import call_command

    from billing import payments
    from billing.payments import yookassa

    monkeypatch.setattr(payments, "_answers", {})  # as in a fresh process
    built = []
    real_init = yookassa.YooKassaProvider.__init__
    monkeypatch.setattr(yookassa.YooKassaProvider, "__init__", lambda self: built.append(1) or real_init(self))
    settings.PAYMENTS_PROVIDER = "billing.payments.yookassa.YooKassaProvider"
    settings.YOOKASSA_SHOP_ID, settings.YOOKASSA_SECRET_KEY = "", ""
    with caplog.at_level("WARNING", logger="billing.payments"):
        assert [payments.provider_configured() for _ in range(5)] == [False] * 5
    assert len(built) == 1
    assert [r.getMessage() for r in caplog.records if r.name == "billing.payments"] == [
        "online payments are off: YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY are required"
    ]
    errors = io.StringIO()
    call_command("check", stderr=errors, stdout=io.StringIO())
    assert "billing.W001" in errors.getvalue() and "YOOKASSA_SHOP_ID" in errors.getvalue()
    # Other settings (a test's override, a corrected deployment) get their own answer.
    settings.YOOKASSA_SHOP_ID, settings.YOOKASSA_SECRET_KEY = "123", "test_secret"
    assert payments.provider_configured() is True
    errors = io.StringIO()
    call_command("check", stderr=errors, stdout=io.StringIO())
    assert "billing.W001" not in errors.getvalue()
