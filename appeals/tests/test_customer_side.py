"""The customer side of appeals: filing limits, no silent failures, confirmations, the conversation,
organisations and the due date explained (issues 9 and 10)."""

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import MembershipFactory, OrganisationFactory
from appeals import services
from appeals.forms import RedirectForm
from appeals.models import Appeal
from appeals.tests.factories import EXE_BYTES, NOW, submit, upload
from appeals.tests.test_views import form_data
from deadlines.display import due_display
from notifications.models import Notification

pytestmark = pytest.mark.django_db
NEW = reverse("appeals:new")


@pytest.fixture
def client_a(client, customer_a):
    client.force_login(customer_a)
    return client


class TestFilingLimits:
    def test_a_customer_over_the_limit_is_told_and_nothing_is_saved(self, client_a, settings):
        settings.APPEALS_FILING_RATE_USER = "2/h"
        assert client_a.post(NEW, form_data()).status_code == 302
        assert client_a.post(NEW, form_data()).status_code == 302
        response = client_a.post(NEW, form_data())
        assert response.status_code == 429
        html = response.content.decode()
        assert "не больше 2 обращений за час" in html
        assert "Обращение не сохранено" in html
        assert Appeal.objects.count() == 2

    def test_a_double_submit_at_the_limit_still_finds_its_appeal(self, client_a, settings):
        settings.APPEALS_FILING_RATE_USER = "1/h"
        data = form_data()
        first = client_a.post(NEW, data)
        again = client_a.post(NEW, data)
        assert again.status_code == 302 and again["Location"] == first["Location"]

    def test_an_organisation_is_limited_across_its_employees(self, client, customer_a, customer_b, settings):
        settings.APPEALS_FILING_RATE_ORGANISATION = "1/h"
        organisation = OrganisationFactory()
        MembershipFactory(user=customer_a, organisation=organisation)
        MembershipFactory(user=customer_b, organisation=organisation)
        client.force_login(customer_a)
        assert client.post(NEW, form_data(organisation=str(organisation.pk))).status_code == 302
        client.force_login(customer_b)
        refused = client.post(NEW, form_data(organisation=str(organisation.pk)))
        assert "От одной организации можно подать не больше 1 обращения за час" in refused.content.decode()
        # For themselves, the employee is under their own limit only.
        assert client.post(NEW, form_data(organisation="")).status_code == 302
        assert Appeal.objects.count() == 2


class TestIdempotencyKey:
    @pytest.mark.parametrize("key", [None, "", "123", "<b>x</b>"])
    def test_a_missing_or_malformed_key_is_explained_with_a_fresh_one(self, client_a, key):
        data = form_data()
        if key is None:
            del data["idempotency_key"]
        else:
            data["idempotency_key"] = key
        response = client_a.post(NEW, data)
        html = response.content.decode()
        assert "Форма пришла без служебного ключа" in html
        assert not Appeal.objects.exists()
        fresh = response.context["form"]["idempotency_key"].value()
        uuid.UUID(fresh)
        if key:
            assert f'value="{key}"' not in html
        assert client_a.post(NEW, {**data, "idempotency_key": fresh}).status_code == 302
        assert Appeal.objects.count() == 1


def _waiting(appeal, operator, question="Пришлите акт сверки за март."):
    services.appeal_transition(appeal.pk, to="in_progress", actor=operator)
    services.appeal_transition(appeal.pk, to="waiting_for_customer", actor=operator, comment=question)


class TestConflicts:
    def test_a_reply_after_the_request_was_withdrawn_is_a_visible_409(self, client_a, customer_a, operator):
        appeal = submit(customer_a)
        _waiting(appeal, operator)
        # The customer's page shows the request; meanwhile the operator stops waiting.
        services.appeal_transition(appeal.pk, to="in_progress", actor=operator)
        response = client_a.post(reverse("appeals:reply", args=[appeal.number]),
                                 {"text": "Вот акт", "shown_status": "waiting_for_customer"})
        assert response.status_code == 409
        html = response.content.decode()
        assert "было «ожидает ответа заявителя», сейчас «в работе»" in html
        assert not appeal.messages.exists()

    def test_withdrawing_an_appeal_answered_meanwhile_is_a_visible_409(self, client_a, customer_a, operator):
        appeal = submit(customer_a, now=None)
        services.appeal_answer(appeal.pk, actor=operator, text="Ответ", expected_version=appeal.version)
        response = client_a.post(reverse("appeals:withdraw", args=[appeal.number]),
                                 {"comment": "", "shown_status": "registered"})
        assert response.status_code == 409
        assert "было «зарегистрировано», сейчас «дан ответ»" in response.content.decode()
        appeal.refresh_from_db()
        assert appeal.status == "answered"


class TestWithdrawConfirmation:
    def test_the_button_asks_first_and_says_what_withdrawing_means(self, client_a, customer_a):
        appeal = submit(customer_a)
        detail = client_a.get(reverse("appeals:detail", args=[appeal.number])).content.decode()
        url = reverse("appeals:withdraw", args=[appeal.number])
        assert f'href="{url}"' in detail
        page = client_a.get(url)
        html = page.content.decode()
        assert page.status_code == 200
        assert "ответ на него готовиться не будет" in html and "подать новое обращение" in html
        appeal.refresh_from_db()
        assert appeal.status == "registered"  # looking is not withdrawing
        done = client_a.post(url, {"comment": "Решилось", "shown_status": "registered"})
        assert done.status_code == 302
        appeal.refresh_from_db()
        assert appeal.status == "withdrawn"
        assert "отозвать его уже нельзя" in client_a.get(url).content.decode()

    def test_another_customer_gets_404(self, client, customer_a, customer_b):
        appeal = submit(customer_a)
        client.force_login(customer_b)
        url = reverse("appeals:withdraw", args=[appeal.number])
        assert client.get(url).status_code == 404
        assert client.post(url, {"comment": ""}).status_code == 404
        appeal.refresh_from_db()
        assert appeal.status == "registered"


class TestReplyAndMessages:
    def test_the_reply_form_shows_the_operators_question(self, client_a, customer_a, operator):
        appeal = submit(customer_a)
        _waiting(appeal, operator, question="Пришлите фото счётчика.")
        html = client_a.get(reverse("appeals:detail", args=[appeal.number])).content.decode()
        question = html.index("Пришлите фото счётчика.", html.index("Ответить на запрос сведений"))
        assert question < html.index('action="' + reverse("appeals:reply", args=[appeal.number]))

    def test_reopening_shows_and_tells_the_new_due_date(self, client_a, customer_a, operator):
        appeal = submit(customer_a, now=None)
        services.appeal_answer(appeal.pk, actor=operator, text="Ответ", expected_version=appeal.version)
        response = client_a.post(reverse("appeals:reopen", args=[appeal.number]),
                                 {"comment": "Не исправлено", "shown_status": "answered"}, follow=True)
        appeal.refresh_from_db()
        new_due = due_display(appeal.due_at, appeal.deadline_rule.unit)
        html = response.content.decode()
        assert f"Новый срок ответа — {new_due}" in html
        assert Notification.objects.filter(recipient=customer_a, event="appeals.status_changed").exists()
        notice = Notification.objects.filter(recipient=customer_a, event="appeals.status_changed").latest("pk")
        assert new_due in notice.body_text

    def test_a_customer_adds_a_message_and_a_document_to_an_open_appeal(self, client_a, customer_a, operator):
        appeal = submit(customer_a)
        services.appeal_transition(appeal.pk, to="in_progress", actor=operator)
        url = reverse("appeals:detail", args=[appeal.number])
        assert "Дополнить обращение" in client_a.get(url).content.decode()
        response = client_a.post(reverse("appeals:reply", args=[appeal.number]),
                                 {"text": "Прикладываю акт.", "files": [upload("акт.pdf")],
                                  "shown_status": "in_progress"})
        assert response.status_code == 302
        appeal.refresh_from_db()
        assert appeal.status == "in_progress"
        message = appeal.messages.get()
        assert message.text == "Прикладываю акт." and message.attachments.count() == 1
        assert Notification.objects.filter(recipient=operator, event="appeals.customer_activity").exists()

    def test_a_bad_document_is_refused_and_nothing_is_saved(self, client_a, customer_a):
        appeal = submit(customer_a)
        response = client_a.post(reverse("appeals:reply", args=[appeal.number]),
                                 {"text": "Вот", "files": [upload("x.pdf", EXE_BYTES)], "shown_status": "registered"})
        assert response.status_code == 400
        assert "не является документом" in response.content.decode()
        assert not appeal.messages.exists()

    def test_a_closed_appeal_takes_no_messages(self, client_a, customer_a):
        appeal = submit(customer_a)
        services.appeal_withdraw(appeal.pk, actor=customer_a)
        assert "Дополнить обращение" not in client_a.get(
            reverse("appeals:detail", args=[appeal.number])).content.decode()
        response = client_a.post(reverse("appeals:reply", args=[appeal.number]), {"text": "Ещё"})
        assert response.status_code == 400
        assert "Подайте новое обращение" in response.content.decode()

    def test_another_customer_cannot_write(self, client, customer_a, customer_b):
        appeal = submit(customer_a)
        client.force_login(customer_b)
        assert client.post(reverse("appeals:reply", args=[appeal.number]), {"text": "чужое"}).status_code == 404
        assert not appeal.messages.exists()


def test_the_appeal_page_explains_a_due_date_41_days_away(client_a, customer_a):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    appeal = submit(customer_a, now=datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("Europe/Moscow")))
    html = client_a.get(reverse("appeals:detail", args=[appeal.number])).content.decode()
    assert "Как посчитан срок" in html
    assert "30 календарных дней со дня регистрации обращения" in html
    assert "ГК РФ ст. 191" in html and "ГК РФ ст. 193" in html
    assert "31.12.2026 (четверг) — нерабочий" in html


class TestOrganisations:
    def test_one_organisation_is_the_default_filer(self, client_a, customer_a):
        organisation = OrganisationFactory()
        MembershipFactory(user=customer_a, organisation=organisation)
        form = client_a.get(NEW).context["form"]
        assert form["organisation"].value() == str(organisation.pk)

    def test_filing_from_the_organisations_page_defaults_to_it(self, client_a, customer_a):
        first, second = OrganisationFactory(), OrganisationFactory()
        MembershipFactory(user=customer_a, organisation=first)
        MembershipFactory(user=customer_a, organisation=second)
        assert client_a.get(NEW).context["form"]["organisation"].value() in (None, "")
        page = client_a.get(reverse("accounts:organisation", args=[second.pk])).content.decode()
        assert f'{NEW}?organisation={second.pk}' in page
        form = client_a.get(NEW, {"organisation": second.pk}).context["form"]
        assert form["organisation"].value() == str(second.pk)
        # Somebody else's organisation in the link is no default.
        stranger = OrganisationFactory()
        assert client_a.get(NEW, {"organisation": stranger.pk}).context["form"]["organisation"].value() in (None, "")

    def test_the_administrator_sees_which_employee_filed(self, client, customer_a, customer_b):
        organisation = OrganisationFactory()
        MembershipFactory(user=customer_a, organisation=organisation, role="admin")
        MembershipFactory(user=customer_b, organisation=organisation)
        customer_b.first_name, customer_b.last_name = "Борис", "Иванов"
        customer_b.save()
        appeal = submit(customer_b, organisation=organisation)
        client.force_login(customer_a)
        assert "Борис" in appeal.contact_name and "Иванов" in appeal.contact_name
        listing = client.get(reverse("appeals:list")).content.decode()
        assert f"подал(а): {appeal.contact_name}" in listing
        detail = client.get(reverse("appeals:detail", args=[appeal.number])).content.decode()
        assert "Подал(а)" in detail and appeal.contact_name in detail

    def test_an_organisations_appeal_cites_the_rule_for_organisations(self, customer_a):
        organisation = OrganisationFactory()
        MembershipFactory(user=customer_a, organisation=organisation)
        own = submit(customer_a)
        theirs = submit(customer_a, organisation=organisation)
        assert own.deadline_basis == "59-ФЗ, ст. 12 ч. 1 и 2"
        assert theirs.deadline_basis == "59-ФЗ, ст. 12 ч. 1 и 2; ст. 1 ч. 4"
        # The consumer-protection law protects citizens: an organisation's claim is not under it.
        claim = submit(customer_a, organisation=organisation, kind=Appeal.Kind.CLAIM)
        assert "2300-1" not in claim.deadline_basis and "ст. 1 ч. 4" in claim.deadline_basis
        assert "2300-1" in submit(customer_a, kind=Appeal.Kind.CLAIM).deadline_basis


class TestRedirectDate:
    """Staff's redirect (issue 9): the sending date lies between the appeal's arrival and today."""

    @pytest.mark.parametrize("sent_on", [date(1, 1, 1), date(2026, 2, 28)])
    def test_a_date_before_the_appeal_arrived_is_refused_by_the_service(self, customer_a, operator, sent_on):
        appeal = submit(customer_a)  # received on NOW (2 March 2026)
        with pytest.raises(ValidationError) as refused:
            services.appeal_redirect(appeal.pk, actor=operator, organisation_name="ГЖИ", sent_on=sent_on, now=NOW)
        assert "раньше поступления обращения (02.03.2026)" in str(refused.value.message_dict["sent_on"])
        appeal.refresh_from_db()
        assert appeal.status == "registered" and not appeal.redirected_to

    def test_the_form_refuses_the_first_of_january_of_year_one_and_the_future(self, customer_a):
        appeal = submit(customer_a, now=None)
        data = {"version": appeal.version, "organisation_name": "ГЖИ", "comment": ""}
        old = RedirectForm({**data, "sent_on": "0001-01-01"}, appeal=appeal)
        assert not old.is_valid() and "раньше поступления" in str(old.errors["sent_on"])
        future = RedirectForm({**data, "sent_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
                              appeal=appeal)
        assert not future.is_valid() and "в будущем" in str(future.errors["sent_on"])
        today = RedirectForm({**data, "sent_on": timezone.localdate().isoformat()}, appeal=appeal)
        assert today.is_valid(), today.errors
        # Without the appeal (an older caller), the future is still refused.
        assert not RedirectForm({**data, "sent_on": "2999-01-01"}).is_valid()


def test_forms_sharing_the_appeal_page_have_distinct_ids(client_a, customer_a, operator):
    import re
    from collections import Counter

    appeal = submit(customer_a, now=None)
    services.appeal_answer(appeal.pk, actor=operator, text="Ответ", expected_version=appeal.version)
    html = client_a.get(reverse("appeals:detail", args=[appeal.number])).content.decode()
    assert "Оцените ответ" in html and "Вопрос не решён?" in html
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []


def test_the_success_message_says_whether_the_appeal_went_back_to_work(client_a, customer_a, operator):
    appeal = submit(customer_a)
    _waiting(appeal, operator)
    url = reverse("appeals:reply", args=[appeal.number])
    reply = client_a.post(url, {"text": "Вот акт"}, follow=True).content.decode()
    assert "Ответ отправлен, обращение снова в работе." in reply
    more = client_a.post(url, {"text": "И ещё фото", "shown_status": "in_progress"}, follow=True).content.decode()
    assert "Сообщение отправлено: исполнитель увидит его в обращении." in more
