"""«Изменения данных клиента»: every change to one customer's records over a period, for administrators."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import OrganisationFactory, StaffFactory, UserFactory
from appeals.tests.factories import submit
from audit.models import PersonalDataRead
from audit.tests.test_audit import staff_with
from contracts.models import Contract
from contracts.tests.factories import ReadingFactory, meter_of

pytestmark = pytest.mark.django_db

URL = reverse("audit:customer_changes")
EXPORT = reverse("audit:customer_changes_export")


@pytest.fixture
def administrator():
    return staff_with("audit.view_customer_changes", "audit.view_personaldataread", "accounts.view_user",
                      email="admin@example.ru")


def _rows(response):
    return list(response.context["page"].object_list)


def _profile_edit(client, user, last_name, address="203.0.113.7"):
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {
        "last_name": last_name, "first_name": user.first_name, "patronymic": "", "phone": "",
    }, REMOTE_ADDR=address)
    assert response.status_code == 302


class TestOnePerson:
    def test_profile_appeal_contract_and_readings_with_who_where_and_before_after(self, client, administrator):
        customer = UserFactory(email="anna@example.ru", last_name="Смирнова", first_name="Анна")
        stranger = UserFactory(email="stranger@example.ru", last_name="Петров")
        _profile_edit(client, customer, "Кузнецова")
        _profile_edit(client, stranger, "Сидоров")
        appeal = submit(customer)
        meter = meter_of(customer, serial_number="SN-777")
        ReadingFactory(meter=meter, period=datetime.date(2026, 11, 1))
        contract = Contract.objects.get(supply_points__meters=meter)
        contract.address = "г. Тверь, ул. Новая, 1"
        contract.save()
        stranger_meter = meter_of(stranger)
        ReadingFactory(meter=stranger_meter, period=datetime.date(2026, 11, 1))

        client.force_login(administrator)
        response = client.get(URL, {"customer": "ANNA@example.ru", "period": "month"})
        assert response.status_code == 200
        rows = _rows(response)
        by_model = {(row.model._meta.label, row.kind) for row in rows}
        assert {("accounts.User", "~"), ("appeals.Appeal", "+"), ("contracts.ContractBinding", "+"),
                ("contracts.Contract", "~"), ("contracts.Meter", "+"), ("contracts.Reading", "+")} <= by_model
        profile = next(row for row in rows if row.model is User and row.kind == "~")
        assert profile.who == customer and profile.ip_address == "203.0.113.7"
        assert [(c.field, c.old, c.new) for c in profile.changes] == [("фамилия", "Смирнова", "Кузнецова")]
        moved = next(row for row in rows if row.model is Contract and row.kind == "~")
        assert any(c.new == "г. Тверь, ул. Новая, 1" for c in moved.changes)
        assert any(row.label == f"№ {appeal.number}" for row in rows)
        assert rows == sorted(rows, key=lambda row: row.at, reverse=True)
        body = response.content.decode()
        assert "Смирнова → Кузнецова" in body and "203.0.113.7" in body
        assert "Сидоров" not in body and "stranger@example.ru" not in body
        assert str(stranger_meter.serial_number) not in body
        # Looking at it is a read of the customer's data, written to the reads journal.
        read = PersonalDataRead.objects.get(kind=PersonalDataRead.Kind.CHANGES)
        assert read.subject_id == customer.pk and read.staff == administrator

    def test_the_csv_has_a_line_per_field_and_is_logged_as_an_export(self, client, administrator):
        customer = UserFactory(email="anna@example.ru", last_name="Смирнова")
        _profile_edit(client, customer, "Кузнецова")
        client.force_login(administrator)
        response = client.get(EXPORT, {"customer": "anna@example.ru"})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        body = b"".join(response.streaming_content).decode()
        assert body.startswith("\ufeff")
        assert "anna@example.ru;203.0.113.7;пользователь;anna@example.ru;изменено;фамилия;Смирнова;Кузнецова" \
            in body
        assert PersonalDataRead.objects.filter(kind=PersonalDataRead.Kind.EXPORT, subject_id=customer.pk).exists()

    def test_a_change_outside_the_period_is_not_shown_and_last_month_finds_it(self, client, administrator):
        customer = UserFactory(email="anna@example.ru", last_name="Смирнова")
        _profile_edit(client, customer, "Кузнецова")
        first_of_month = timezone.localdate().replace(day=1)
        last_month = timezone.make_aware(datetime.datetime.combine(
            first_of_month - datetime.timedelta(days=3), datetime.time(12)))
        customer.history.filter(history_type="~").update(history_date=last_month)
        client.force_login(administrator)
        this = _rows(client.get(URL, {"customer": "anna@example.ru"}))
        assert not any(row.kind == "~" for row in this)
        before = _rows(client.get(URL, {"customer": "anna@example.ru", "period": "last_month"}))
        assert [row.kind for row in before] == ["~"] and before[0].changes[0].old == "Смирнова"
        custom = _rows(client.get(URL, {
            "customer": "anna@example.ru", "period": "custom",
            "start": (first_of_month - datetime.timedelta(days=40)).isoformat(), "end": timezone.localdate(),
        }))
        assert {row.kind for row in custom} == {"+", "~"}

    def test_a_card_link_opens_the_person_by_id(self, client, administrator):
        customer = UserFactory(email="anna@example.ru")
        client.force_login(administrator)
        card = client.get(reverse("admin:accounts_user_change", args=[customer.pk]))
        link = f"{URL}?user={customer.pk}&amp;period=last_month"
        assert link in card.content.decode()
        response = client.get(URL, {"user": customer.pk, "period": "last_month"})
        assert response.status_code == 200 and response.context["subject"] == customer


class TestOrganisation:
    def test_by_inn_the_organisation_its_members_and_contracts(self, client, administrator):
        organisation = OrganisationFactory(inn="7707083893", kpp="773601001")
        member = UserFactory(email="buh@example.ru")
        organisation.memberships.create(user=member, role="member")
        meter = meter_of(organisation=organisation)
        ReadingFactory(meter=meter, period=datetime.date(2026, 11, 1), submitted_by=member)
        organisation.name = "ООО «Новое имя»"
        organisation.save()
        client.force_login(administrator)
        response = client.get(URL, {"customer": "7707083893"})
        assert response.status_code == 200 and response.context["subject"] == organisation
        models = {row.model._meta.label for row in _rows(response)}
        assert {"accounts.Organisation", "accounts.Membership", "contracts.ContractBinding", "contracts.Reading"} \
            <= models
        assert "accounts.User" not in models  # the member's own account is their record, not the company's
        assert PersonalDataRead.objects.get(kind=PersonalDataRead.Kind.CHANGES).organisation_id == organisation.pk

    def test_branches_sharing_an_inn_are_opened_from_their_card(self, client, administrator):
        first = OrganisationFactory(inn="7707083893", kpp="773601001")
        OrganisationFactory(inn="7707083893", kpp="773601002")
        client.force_login(administrator)
        response = client.get(URL, {"customer": "7707083893"})
        assert response.status_code == 400 and "несколько организаций" in response.content.decode()
        assert client.get(URL, {"organisation": first.pk}).context["subject"] == first


class TestBadInput:
    @pytest.mark.parametrize("params, message", [
        ({}, None),
        ({"customer": ""}, "Укажите клиента"),
        ({"customer": "Иванов"}, "электронную почту клиента или ИНН"),
        ({"customer": "١٢٣٤٥٦٧٨٩٠"}, "электронную почту клиента или ИНН"),  # Arabic-Indic digits are no ИНН
        ({"customer": "nobody@example.ru"}, "Такого клиента нет"),
        ({"customer": "staff@example.ru"}, "Такого клиента нет"),  # staff are no customers
        ({"customer": "1234567890"}, "Такого клиента нет"),
        ({"customer": "anna@example.ru", "period": "custom", "start": "2026-05-10", "end": "2026-05-01"},
         "Последний день периода раньше первого"),
        ({"customer": "anna@example.ru", "period": "custom", "start": "вчера"}, "Введите правильную дату"),
        ({"user": "abc"}, "Укажите клиента"),
    ])
    def test_a_clear_message_and_no_changes_shown(self, client, administrator, params, message):
        UserFactory(email="anna@example.ru")
        StaffFactory(email="staff@example.ru")
        client.force_login(administrator)
        response = client.get(URL, params)
        assert response.context["page"] is None
        body = response.content.decode()
        if message is None:  # the empty form, as first opened
            assert response.status_code == 200
        else:
            assert response.status_code == 400 and message in body
        assert not PersonalDataRead.objects.exists()
        if params:
            assert client.get(EXPORT, params).status_code == 400


class TestAccess:
    def test_administrators_only(self, client):
        customer = UserFactory(email="anna@example.ru")
        supervisor = staff_with("accounts.view_user", "audit.view_personaldataread")
        client.force_login(supervisor)
        assert client.get(URL, {"customer": "anna@example.ru"}).status_code == 403
        assert client.get(EXPORT, {"customer": "anna@example.ru"}).status_code == 403
        client.force_login(customer)
        for url in (URL, EXPORT):
            response = client.get(url, {"customer": "anna@example.ru"})
            assert response.status_code == 302 and reverse("admin:login") in response["Location"]
        assert not PersonalDataRead.objects.exists()

    def test_the_admin_index_links_it_for_administrators(self, client, administrator):
        client.force_login(administrator)
        assert URL in client.get(reverse("admin:index")).content.decode()


def test_queries_do_not_grow_with_the_changes(client, administrator, django_assert_max_num_queries):
    customer = UserFactory(email="anna@example.ru")
    meter = meter_of(customer)
    for month in range(1, 4):
        reading = ReadingFactory(meter=meter, period=datetime.date(2026, month, 1))
    reading.t1 += 5
    reading.save()  # a change with a version before it, as the later ones
    submit(customer)
    client.force_login(administrator)
    params = {"customer": "anna@example.ru"}
    client.get(URL, params)
    with django_assert_max_num_queries(40) as captured:
        assert client.get(URL, params).status_code == 200
    for month in range(4, 12):
        reading = ReadingFactory(meter=meter, period=datetime.date(2026, month, 1))
        reading.t1 += 5
        reading.save()
    for _ in range(3):
        submit(customer)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        response = client.get(URL, params)
    assert len(_rows(response)) > 20


class TestContractsWhileHeld:
    def test_a_contract_counts_as_the_customers_only_while_bound_to_them(self, client, administrator):
        from contracts.models import ContractBinding

        before, after = UserFactory(email="before@example.ru"), UserFactory(email="after@example.ru")
        meter = meter_of(before)
        ReadingFactory(meter=meter, period=datetime.date(2026, 9, 1), comment="показания прежнего жильца")
        moved_out = timezone.now()
        ContractBinding.objects.filter(user=before).update(unbound_at=moved_out)
        binding = ContractBinding.objects.get(user=before)
        ContractBinding.objects.create(contract=binding.contract, user=after, bound_at=moved_out)
        ReadingFactory(meter=meter, period=datetime.date(2026, 10, 1), comment="показания нового жильца")
        contract = binding.contract
        contract.customer_name = "Новый Жилец Иванович"
        contract.save()
        client.force_login(administrator)

        def journal(email):
            rows = _rows(client.get(URL, {"customer": email}))
            return {(row.model._meta.label, row.kind) for row in rows}, rows

        earlier, rows = journal("before@example.ru")
        assert ("contracts.Reading", "+") in earlier
        assert not any(row.model is Contract and row.kind == "~" for row in rows)
        assert all("нового жильца" not in change.new for row in rows for change in row.changes)
        later, rows = journal("after@example.ru")
        assert ("contracts.Contract", "~") in later
        assert all("прежнего жильца" not in change.new for row in rows for change in row.changes)


def test_too_many_changes_ask_for_a_shorter_period(client, administrator, monkeypatch):
    from audit import changes

    customer = UserFactory(email="anna@example.ru")
    meter = meter_of(customer)
    for month in range(1, 6):
        ReadingFactory(meter=meter, period=datetime.date(2026, month, 1))
    monkeypatch.setattr(changes, "MAX_CHANGES", 3)
    client.force_login(administrator)
    response = client.get(URL, {"customer": "anna@example.ru"})
    assert response.status_code == 400 and response.context["page"] is None
    assert "выберите период короче" in response.content.decode()
    assert client.get(EXPORT, {"customer": "anna@example.ru"}).status_code == 400


def test_a_date_far_in_the_future_is_a_clear_message_not_an_error(client, administrator):
    UserFactory(email="anna@example.ru")
    client.force_login(administrator)
    response = client.get(URL, {"customer": "anna@example.ru", "period": "custom",
                                "start": "9999-12-01", "end": "9999-12-31"})
    assert response.status_code == 400 and "Укажите дату с 2000 по 2100 год" in response.content.decode()
