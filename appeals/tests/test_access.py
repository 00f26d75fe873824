"""Object-level access on every appeal URL: the owner, another customer, a member of another
organisation, an organisation colleague, anonymous visitors and staff."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.tests.factories import MembershipFactory, OrganisationFactory, StaffFactory
from appeals import access, services
from appeals.files import check_file
from appeals.tests.factories import submit, upload
from notifications.models import Notification

pytestmark = pytest.mark.django_db

GET_NAMES = ("appeals:detail", "appeals:submitted")
POST_NAMES = ("appeals:reply", "appeals:withdraw", "appeals:rate", "appeals:reopen")


@pytest.fixture
def world(customer_a, customer_b, operator):
    """Customer A's own appeal and their organisation's appeal, each with every kind of file."""
    organisation = OrganisationFactory()
    MembershipFactory(user=customer_a, organisation=organisation)
    colleague = MembershipFactory(organisation=organisation).user
    stranger = MembershipFactory(organisation=OrganisationFactory()).user
    own = submit(customer_a, files=[upload("своё.pdf")])
    org = submit(customer_a, organisation=organisation, files=[upload("орг.pdf")])
    for appeal in (own, org):
        services.appeal_transition(appeal.pk, to="in_progress", actor=operator)
        services.appeal_add_message(appeal.pk, actor=operator, text="Внутреннее", internal=True,
                                    files=[check_file(upload("служебное.pdf"))])
        services.appeal_transition(appeal.pk, to="waiting_for_customer", actor=operator, comment="Нужен акт")
        services.appeal_add_message(appeal.pk, actor=customer_a, text="Акт", files=[check_file(upload("акт.pdf"))])
    return {"own": own, "org": org, "colleague": colleague, "stranger": stranger}


def object_urls(appeal, *, public_only=True):
    urls = [reverse(name, args=[appeal.number]) for name in GET_NAMES]
    files = appeal.attachments.select_related("message")
    urls += [
        reverse("appeals:attachment", args=[appeal.number, a.pk])
        for a in files
        if not public_only or not (a.message and a.message.is_internal)
    ]
    return urls


def internal_file_urls(appeal):
    return [
        reverse("appeals:attachment", args=[appeal.number, a.pk])
        for a in appeal.attachments.filter(message__is_internal=True)
    ]


def test_owner_reaches_every_url_but_not_internal_files(client, customer_a, world):
    client.force_login(customer_a)
    for appeal in (world["own"], world["org"]):
        for url in object_urls(appeal):
            assert client.get(url).status_code == 200, url
        for url in internal_file_urls(appeal):
            assert client.get(url).status_code == 404, url


def test_an_organisation_colleague_sees_the_organisations_appeal_only(client, world):
    client.force_login(world["colleague"])
    for url in object_urls(world["org"]):
        assert client.get(url).status_code == 200, url
    for url in object_urls(world["own"]):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("who", ["customer_b", "stranger", "staff_as_customer"])
def test_everyone_else_gets_404_on_every_object_url(client, world, customer_b, operator, who):
    user = {"customer_b": customer_b, "stranger": world["stranger"], "staff_as_customer": operator}[who]
    client.force_login(user)
    for appeal in (world["own"], world["org"]):
        for url in object_urls(appeal, public_only=False):
            assert client.get(url).status_code == 404, url
        for name in POST_NAMES:
            url = reverse(name, args=[appeal.number])
            assert client.post(url, {"text": "x", "comment": "x", "rating": "5"}).status_code == 404, url
        appeal.refresh_from_db()
        assert appeal.status == "in_progress"


def test_a_number_swapped_into_an_attachment_url_is_404(client, customer_a, customer_b, world):
    # B's own appeal number with A's attachment id.
    theirs = submit(customer_b)
    client.force_login(customer_b)
    for attachment in world["own"].attachments.all():
        assert client.get(reverse("appeals:attachment", args=[theirs.number, attachment.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url in object_urls(world["own"], public_only=False):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_lists_and_cabinet_show_nothing_of_others(client, customer_b, world):
    client.force_login(customer_b)
    for url in (reverse("appeals:list"), reverse("cabinet")):
        body = client.get(url).content.decode()
        assert world["own"].number not in body and world["org"].number not in body


class TestStaff:
    def test_the_assigned_operator_and_a_supervisor_open_the_appeal_and_its_files(self, client, operator,
                                                                                  supervisor, world):
        for user in (operator, supervisor):
            client.force_login(user)
            appeal = world["own"]
            assert client.get(reverse("admin:appeals_appeal_change", args=[appeal.pk])).status_code == 200
            for attachment in appeal.attachments.all():
                url = reverse("admin:appeals_appeal_attachment", args=[appeal.pk, attachment.pk])
                assert client.get(url).status_code == 200, url

    def test_another_operator_gets_404_on_a_colleagues_appeal(self, client, operator2, world):
        client.force_login(operator2)
        appeal = world["own"]
        assert client.get(reverse("admin:appeals_appeal_change", args=[appeal.pk])).status_code == 404
        for attachment in appeal.attachments.all():
            url = reverse("admin:appeals_appeal_attachment", args=[appeal.pk, attachment.pk])
            assert client.get(url).status_code == 404
        response = client.post(reverse("admin:appeals_appeal_change", args=[appeal.pk]),
                               {"action": "draft", "draft-text": "Чужой ответ", "draft-version": "99"})
        # A colleague's appeal: the conflict is explained on the queue page, nothing changes.
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:appeals_appeal_changelist")
        appeal.refresh_from_db()
        assert appeal.answer_text == ""

    def test_staff_without_appeal_permissions_see_nothing(self, client):
        editor = StaffFactory()
        client.force_login(editor)
        assert client.get(reverse("admin:appeals_appeal_changelist")).status_code == 403

    def test_customers_cannot_enter_the_admin(self, client, customer_a, world):
        client.force_login(customer_a)
        response = client.get(reverse("admin:appeals_appeal_change", args=[world["own"].pk]))
        assert response.status_code == 302




class TestStaffMembersOwnAppeal:
    """A supervisor files about their own flat: in the cabinet they are the customer, in the admin staff."""

    @pytest.fixture
    def own(self, supervisor):
        return submit(supervisor, now=None)

    def test_in_the_cabinet_they_withdraw_it(self, client, supervisor, own):
        client.force_login(supervisor)
        response = client.post(reverse("appeals:withdraw", args=[own.number]), {"comment": "Решилось"})
        assert response.status_code == 302
        own.refresh_from_db()
        assert own.status == "withdrawn"

    def test_in_the_cabinet_they_cannot_act_as_staff(self, supervisor, own):
        with pytest.raises(ValidationError, match="выполняет сотрудник"):
            services.appeal_transition(own.pk, to="in_progress", actor=supervisor, as_role=access.CUSTOMER)
        with pytest.raises(PermissionDenied):
            services.appeal_add_message(own.pk, actor=supervisor, as_role=access.CUSTOMER, text="Заметка",
                                        internal=True)
        own.refresh_from_db()
        assert own.status == "registered" and not own.messages.exists()

    def test_their_reply_in_the_cabinet_is_the_customers_and_tells_the_assignee(self, client, supervisor,
                                                                                operator, own):
        services.appeal_transition(own.pk, to="in_progress", actor=operator)
        services.appeal_transition(own.pk, to="waiting_for_customer", actor=operator, comment="Нужен акт")
        client.force_login(supervisor)
        response = client.post(reverse("appeals:reply", args=[own.number]), {"text": "Вот акт"})
        assert response.status_code == 302
        message = own.messages.get()
        assert not message.from_staff
        own.refresh_from_db()
        assert own.status == "in_progress" and own.assignee == operator
        assert Notification.objects.filter(event="appeals.customer_activity", recipient=operator).exists()
        assert not Notification.objects.filter(event="appeals.message", recipient=supervisor).exists()

    def test_in_the_admin_they_act_as_staff(self, client, supervisor, own):
        client.force_login(supervisor)
        url = reverse("admin:appeals_appeal_change", args=[own.pk])
        page = client.get(url)
        assert page.status_code == 200
        assert "withdrawn" not in {t.target for t in page.context["transitions"]}
        refused = client.post(url, {"action": "transition", "transition-to": "withdrawn",
                                    "transition-version": own.version})
        assert "выполняет только сам заявитель" in refused.content.decode()
        client.post(url, {"action": "transition", "transition-to": "in_progress", "transition-version": own.version})
        own.refresh_from_db()
        assert own.status == "in_progress" and own.assignee == supervisor
        client.post(url, {"action": "draft", "draft-text": "Перерасчёт сделан.", "draft-version": own.version})
        client.post(url, {"action": "answer", "answer-digest": services.draft_digest("Перерасчёт сделан."),
                          "answer-version": own.version})
        own.refresh_from_db()
        assert own.status == "answered"

    def test_a_service_call_without_the_role_is_refused_not_guessed(self, supervisor, own):
        with pytest.raises(access.AmbiguousRole):
            services.appeal_withdraw(own.pk, actor=supervisor)
        own.refresh_from_db()
        assert own.status == "registered"

    def test_another_customer_still_gets_404(self, client, customer_b, own):
        client.force_login(customer_b)
        for url in object_urls(own, public_only=False):
            assert client.get(url).status_code == 404, url
        for name in POST_NAMES:
            assert client.post(reverse(name, args=[own.number]), {"comment": "x", "text": "x"}).status_code == 404


@pytest.mark.parametrize("object_id", ["abc", "1.5", "-1", "99999999999999999999999"])
def test_a_malformed_appeal_id_in_the_admin_is_404_not_500(client, supervisor, customer_a, object_id):
    submit(customer_a)
    client.force_login(supervisor)
    assert client.get(f"/admin/appeals/appeal/{object_id}/change/").status_code == 404
    response = client.post(f"/admin/appeals/appeal/{object_id}/change/", {"action": "draft", "draft-text": "x"})
    assert response.status_code == 404
