"""Contract applications through their services: every transition, the stopped clock, what signing does."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, UserFactory
from contracts import application_workflow as workflow
from contracts.models import Contract, ContractBinding, Meter
from contracts.models_applications import (
    ApplicationDocument,
    ApplicationEvent,
    ApplicationKind,
    ApplicationPause,
    ContractApplication,
)
from contracts.services import application_staff as staff
from contracts.services import applications as services
from contracts.tests.factories import ContractFactory
from contracts.tests.factories_applications import (
    MOSCOW,
    NOW,
    bind_to,
    checked,
    org_draft,
    pdf,
    resident_draft,
    reviewer,
    signed,
    submitted,
    upload_all,
)
from notifications.models import Notification

S = ContractApplication.Status
pytestmark = pytest.mark.django_db


def at(day, hour=11):
    return datetime.datetime.fromisoformat(f"{day} {hour:02d}:00").replace(tzinfo=MOSCOW)


def end_of(day):
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time.max, tzinfo=MOSCOW)


@pytest.fixture
def org_admin(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    membership = MembershipFactory(role=Membership.Role.ADMIN)
    return membership.user, membership.organisation


@pytest.fixture
def operator(db):
    return reviewer(email="operator@example.ru")


def test_an_organisation_applies_is_asked_for_a_document_and_gets_its_contract(org_admin, operator):
    admin, organisation = org_admin
    application = org_draft(admin, organisation)
    assert application.status == S.DRAFT and application.number is None

    application = submitted(application, admin)
    assert application.status == S.SUBMITTED
    assert application.number == "Д-2026-000001"
    # 15 working days from Tuesday 3 March; 9 March is a holiday.
    assert application.due_at == end_of("2026-03-24")
    assert application.deadline_rule.code == "contract.application"
    assert Notification.objects.filter(recipient=admin, event="contracts.application_registered").exists()

    staff.application_take(application.pk, actor=operator, now=at("2026-03-03"))
    grid_act = application.documents.get(title__startswith="Акт")
    staff.application_check_document(application.pk, grid_act.pk, actor=operator, accepted=False,
                                     reason="Нет подписи сетевой организации", now=at("2026-03-04"))
    staff.application_request_documents(application.pk, actor=operator, comment="Пришлите подписанный акт.",
                                        now=at("2026-03-04"))
    application.refresh_from_db()
    assert application.status == S.WAITING_DOCUMENTS
    assert application.paused_since == at("2026-03-04")
    pause = ApplicationPause.objects.get(application=application)
    assert "ПП 442, п. 39" in pause.legal_basis and pause.ended_at is None
    assert Notification.objects.filter(recipient=admin, event="contracts.application_documents_requested").exists()

    services.application_add_documents(application.pk, actor=admin, files=checked("акт-2.pdf"),
                                       requirement_id=grid_act.requirement_id, now=at("2026-03-06"))
    application.refresh_from_db()
    assert application.status == S.CHECKING and application.paused_since is None
    # Thursday 5 and Friday 6 March stood still: two working days later.
    assert application.due_at == end_of("2026-03-26")
    pause.refresh_from_db()
    assert pause.working_days == 2 and pause.ended_by == admin
    # The one working it hears that the documents came and the clock runs again; the customer is not told twice.
    told = Notification.objects.filter(recipient=operator, event="contracts.application_customer_activity")
    assert told and all("прислал документы" in n.subject and "26.03.2026" in n.body_text for n in told)
    assert not Notification.objects.filter(recipient=admin, event="contracts.application_customer_activity").exists()

    signed_application = signed(application, admin, operator, now=at("2026-03-10"))
    assert signed_application.status == S.SIGNED and signed_application.closed_at is not None
    contract = Contract.objects.get(number="ЭС-2026/100")
    assert contract.customer_kind == Contract.CustomerKind.ORGANISATION and contract.price_category == 3
    assert ContractBinding.objects.get(contract=contract, unbound_at__isnull=True).organisation == organisation
    point = contract.supply_points.get()
    assert point.max_power_kw == 150 and Meter.objects.get(supply_point=point).serial_number == "NEW-0001"
    assert signed_application.contract == contract
    kinds = list(ApplicationEvent.objects.filter(application=application).values_list("kind", flat=True))
    assert kinds.count("paused") == 1 and kinds.count("resumed") == 1


def test_submitting_twice_registers_one_application(org_admin):
    admin, organisation = org_admin
    application = org_draft(admin, organisation)
    upload_all(application, admin)
    first = services.application_submit(application.pk, actor=admin, now=NOW)
    second = services.application_submit(application.pk, actor=admin, now=NOW + datetime.timedelta(seconds=1))
    assert first.number == second.number
    assert ContractApplication.objects.exclude(number=None).count() == 1
    assert ApplicationEvent.objects.filter(application=application, to_status=S.SUBMITTED).count() == 1


def test_an_incomplete_application_is_not_registered(org_admin):
    admin, organisation = org_admin
    application = org_draft(admin, organisation)
    with pytest.raises(ValidationError) as refused:
        services.application_submit(application.pk, actor=admin, now=NOW)
    assert "Не хватает документов" in refused.value.messages[0]
    application.refresh_from_db()
    assert application.status == S.DRAFT and application.number is None


def test_a_member_without_the_administrators_role_may_not_apply_or_act(org_admin):
    admin, organisation = org_admin
    member = MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER).user
    with pytest.raises(PermissionDenied) as refused:
        org_draft(member, organisation)
    assert "администратор" in str(refused.value)
    application = org_draft(admin, organisation)
    upload_all(application, admin)
    for act in (
        lambda: services.application_submit(application.pk, actor=member, now=NOW),
        lambda: services.application_withdraw(application.pk, actor=member, now=NOW),
        lambda: services.application_add_documents(application.pk, actor=member, files=checked(), now=NOW),
        lambda: services.application_update_draft(application.pk, actor=member, fields={"details": "x"}, now=NOW),
    ):
        with pytest.raises(PermissionDenied):
            act()
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_a_withdrawn_or_signed_application_cannot_be_changed(org_admin, operator):
    admin, organisation = org_admin
    withdrawn = submitted(org_draft(admin, organisation), admin)
    services.application_withdraw(withdrawn.pk, actor=admin, now=NOW)
    # Nobody took it yet: everyone who reviews applications hears of the withdrawal.
    assert Notification.objects.filter(recipient=operator, event="contracts.application_customer_activity").exists()
    done = signed(submitted(org_draft(admin, organisation), admin), admin, operator)
    for application in (withdrawn, done):
        for act in (
            lambda a=application: services.application_add_documents(a.pk, actor=admin, files=checked(), now=NOW),
            lambda a=application: services.application_withdraw(a.pk, actor=admin, now=NOW),
            lambda a=application: services.application_update_draft(a.pk, actor=admin, fields={}, now=NOW),
            lambda a=application: staff.application_reject(a.pk, actor=operator, reason="нет", now=NOW),
            lambda a=application: staff.application_request_documents(a.pk, actor=operator, comment="ещё", now=NOW),
        ):
            with pytest.raises(ValidationError) as refused:
                act()
            assert "закрыта" in " ".join(refused.value.messages) or "не принимаются" in " ".join(
                refused.value.messages
            )


def test_a_rejection_needs_a_reason_and_the_customer_sees_it(org_admin, operator):
    admin, organisation = org_admin
    application = submitted(org_draft(admin, organisation), admin)
    with pytest.raises(ValidationError):
        staff.application_reject(application.pk, actor=operator, reason="  ", now=NOW)
    staff.application_reject(application.pk, actor=operator, reason="Объект не присоединён к сети.", now=NOW)
    application.refresh_from_db()
    assert application.status == S.REJECTED and application.rejection_reason == "Объект не присоединён к сети."
    assert Notification.objects.filter(recipient=admin, event="contracts.application_status").exists()


def test_a_rejection_while_waiting_closes_the_pause(org_admin, operator):
    admin, organisation = org_admin
    application = submitted(org_draft(admin, organisation), admin)
    staff.application_request_documents(application.pk, actor=operator, comment="Нужен акт.", now=NOW)
    staff.application_reject(application.pk, actor=operator, reason="Документы не представлены.",
                             now=at("2026-03-20"))
    assert ApplicationPause.objects.get(application=application).ended_at == at("2026-03-20")


def test_the_draft_contract_is_checked_by_content(org_admin, operator):
    admin, organisation = org_admin
    application = submitted(org_draft(admin, organisation), admin)
    with pytest.raises(ValidationError):
        staff.application_send_draft(application.pk, actor=operator, draft=pdf("проект.pdf", b"<html>not a pdf"),
                                     now=NOW)
    with pytest.raises(ValidationError) as refused:
        staff.application_transition(application.pk, to=S.SIGNED, actor=operator, now=NOW)
    assert "Нельзя перевести" in refused.value.messages[0]


def test_a_customers_document_is_checked_by_content(org_admin):
    admin, organisation = org_admin
    application = org_draft(admin, organisation)
    from contracts.application_files import APPLICATION_DOCUMENTS

    with pytest.raises(ValidationError):
        APPLICATION_DOCUMENTS.check_many([pdf("паспорт.pdf", b"MZ\x90\x00 an exe")])
    assert not application.documents.exists()


def test_a_resident_terminates_a_contract(settings, tmp_path, operator):
    settings.MEDIA_ROOT = tmp_path / "media"
    resident = UserFactory()
    contract = ContractFactory()
    bind_to(contract, user=resident)
    application = resident_draft(resident, kind=ApplicationKind.TERMINATE, contract=contract,
                                 starts_on=datetime.date(2026, 3, 31))
    application = submitted(application, resident)
    signed(application, resident, operator)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.TERMINATED and contract.effective_to == datetime.date(2026, 3, 31)


def test_a_drafts_contract_and_points_change_when_edited(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    resident, stranger = UserFactory(), UserFactory()
    first, second, foreign = ContractFactory(), ContractFactory(), ContractFactory()
    bind_to(first, user=resident)
    bind_to(second, user=resident)
    bind_to(foreign, user=stranger)
    application = resident_draft(resident, kind=ApplicationKind.TERMINATE, contract=first,
                                 starts_on=datetime.date(2026, 3, 31))
    services.application_update_draft(application.pk, actor=resident, fields={}, contract=second, now=NOW)
    application.refresh_from_db()
    assert application.contract == second
    with pytest.raises(ValidationError):
        services.application_update_draft(application.pk, actor=resident, fields={}, contract=foreign, now=NOW)
    application.refresh_from_db()
    assert application.contract == second

    amend = resident_draft(resident, kind=ApplicationKind.AMEND, contract=first)
    point = {"address": "г. Москва, ул. Ленина, д. 1", "max_power_kw": 20, "voltage": "LV", "meter_serial": "",
             "meter_zones": 1}
    services.application_update_draft(amend.pk, actor=resident, fields={}, points=[point], now=NOW)
    assert amend.points.count() == 1
    services.application_update_draft(amend.pk, actor=resident, fields={"details": "Новый телефон"}, now=NOW)
    assert amend.points.count() == 1  # no points given: they stay
    services.application_update_draft(amend.pk, actor=resident, fields={"details": "Только телефон"}, points=[],
                                      now=NOW)
    assert not amend.points.exists()


def test_a_resident_may_not_apply_on_somebody_elses_contract(db):
    resident, stranger = UserFactory(), UserFactory()
    contract = ContractFactory()
    bind_to(contract, user=stranger)
    with pytest.raises(ValidationError):
        resident_draft(resident, kind=ApplicationKind.TERMINATE, contract=contract)


def test_reregistering_passes_the_contract_to_the_applicant(settings, tmp_path, operator):
    settings.MEDIA_ROOT = tmp_path / "media"
    resident = UserFactory()
    contract = ContractFactory(customer_name="Прежний Владелец")
    bind_to(contract, user=resident)
    application = submitted(
        resident_draft(resident, kind=ApplicationKind.REREGISTER, contract=contract, customer_name="Новый Владелец"),
        resident,
    )
    signed(application, resident, operator)
    contract.refresh_from_db()
    assert contract.customer_name == "Новый Владелец"
    assert ContractBinding.objects.filter(contract=contract).count() == 2
    assert ContractBinding.objects.get(contract=contract, unbound_at__isnull=True).user == resident
    ended = ContractBinding.objects.get(contract=contract, unbound_at__isnull=False)
    last = ended.history.order_by("-history_id").first()
    assert last.history_type == "~" and last.unbound_at is not None and last.history_user == operator


def test_amending_changes_the_tariff(settings, tmp_path, operator):
    settings.MEDIA_ROOT = tmp_path / "media"
    resident = UserFactory()
    contract = ContractFactory(tariff="single")
    bind_to(contract, user=resident)
    application = submitted(
        resident_draft(resident, kind=ApplicationKind.AMEND, contract=contract, tariff="three_zone"), resident
    )
    signed(application, resident, operator)
    contract.refresh_from_db()
    assert contract.tariff == "three_zone"


def test_staff_checks_documents_one_by_one(org_admin, operator):
    admin, organisation = org_admin
    application = submitted(org_draft(admin, organisation), admin)
    document = application.documents.first()
    with pytest.raises(ValidationError):
        staff.application_check_document(application.pk, document.pk, actor=operator, accepted=False, now=NOW)
    staff.application_check_document(application.pk, document.pk, actor=operator, accepted=True, now=NOW)
    document.refresh_from_db()
    assert document.check_status == ApplicationDocument.Check.ACCEPTED and document.checked_by == operator


# --- the transition table --------------------------------------------------------------------------

ALL = list(S.values)


@pytest.mark.parametrize("source", ALL)
@pytest.mark.parametrize("target", ALL)
@pytest.mark.parametrize("role", [workflow.STAFF, workflow.CUSTOMER])
def test_the_transition_table(source, target, role):
    application = ContractApplication(status=source, draft_file="x.pdf")
    allowed = workflow.transition_for(source, target)
    try:
        workflow.check_transition(application, target, role, comment="причина")
    except workflow.TransitionNotAllowed as refused:
        assert str(refused.message)
        assert allowed is None or role not in allowed.by or source in (S.SIGNED, S.WITHDRAWN, S.REJECTED)
    else:
        assert allowed is not None and role in allowed.by
        assert source not in (S.SIGNED, S.WITHDRAWN, S.REJECTED)


def test_an_author_who_left_the_organisation_hears_nothing_more(org_admin, operator):
    admin, organisation = org_admin
    application = submitted(org_draft(admin, organisation), admin)
    successor = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    Membership.objects.filter(user=admin, organisation=organisation).delete()
    staff.application_request_documents(application.pk, actor=operator, comment="Нужен акт.", now=NOW)
    asked = Notification.objects.filter(event="contracts.application_documents_requested")
    assert asked.filter(recipient=successor).exists()
    assert not asked.filter(recipient=admin).exists()


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.CHECKING, S.WAITING_DOCUMENTS, S.DRAFT_SENT])
def test_staff_are_offered_the_draft_and_signing_exactly_where_the_services_accept_them(org_admin, operator, status):
    admin, organisation = org_admin
    application = org_draft(admin, organisation)
    if status != S.DRAFT:
        application = submitted(application, admin)
    if status in (S.CHECKING, S.DRAFT_SENT):
        staff.application_take(application.pk, actor=operator, now=NOW)
    if status == S.WAITING_DOCUMENTS:
        staff.application_request_documents(application.pk, actor=operator, comment="Нужен акт.", now=NOW)
    if status == S.DRAFT_SENT:
        staff.application_send_draft(application.pk, actor=operator, draft=pdf("проект.pdf"), now=NOW)
    application.refresh_from_db()
    assert application.status == status
    offered_draft, offered_sign = workflow.can_send_draft(application), workflow.can_sign(application)
    assert offered_draft == (status in (S.SUBMITTED, S.CHECKING, S.DRAFT_SENT))
    try:
        staff.application_send_draft(application.pk, actor=operator, draft=pdf("проект.pdf"), now=NOW)
    except ValidationError:
        accepted = False
    else:
        accepted = True
    assert accepted == offered_draft
    application.refresh_from_db()
    assert offered_sign == (status == S.DRAFT_SENT)
    if accepted:
        assert application.status == S.DRAFT_SENT and workflow.can_sign(application)


def test_the_drafts_rules_hold_for_any_caller_not_only_the_form(org_admin):
    admin, organisation = org_admin
    # A new contract needs a supply point: refused on creation, and an edit may not remove the last one.
    with pytest.raises(ValidationError) as refused:
        org_draft(admin, organisation, points=())
    assert "точку поставки" in refused.value.messages[0]
    assert not ContractApplication.objects.exists()
    draft = org_draft(admin, organisation)
    with pytest.raises(ValidationError):
        services.application_update_draft(draft.pk, actor=admin, fields={}, points=[], now=NOW)
    assert draft.points.count() == 1
    # An amendment must change something: the fields it changes, or a supply point.
    contract = ContractFactory(customer_kind=Contract.CustomerKind.ORGANISATION)
    bind_to(contract, organisation=organisation)
    with pytest.raises(ValidationError) as refused:
        services.application_create_draft(actor=admin, kind=ApplicationKind.AMEND, organisation=organisation,
                                          contract=contract, fields={"contact_phone": ""}, now=NOW)
    assert "Укажите, что изменить" in refused.value.messages[0]
    amend = services.application_create_draft(actor=admin, kind=ApplicationKind.AMEND, organisation=organisation,
                                              contract=contract, fields={"details": "Мощность 200 кВт"}, now=NOW)
    with pytest.raises(ValidationError):
        services.application_update_draft(amend.pk, actor=admin, fields={"details": ""}, now=NOW)
    amend.refresh_from_db()
    assert amend.details == "Мощность 200 кВт"
