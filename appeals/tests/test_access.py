"""Object-level access on every appeal URL: the owner, another customer, a member of another
organisation, an organisation colleague, anonymous visitors and staff."""

import pytest
from django.urls import reverse

from accounts.tests.factories import MembershipFactory, OrganisationFactory, StaffFactory
from appeals import services
from appeals.files import check_file
from appeals.tests.factories import submit, upload

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
                               {"action": "answer", "answer-text": "Чужой ответ", "answer-version": "99"})
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


