import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles, services
from accounts.models import ClosureRequest, Consent, Invitation, Membership, Organisation, User
from accounts.tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


@pytest.mark.parametrize("model", [User, Organisation, Membership, Invitation, Consent, ClosureRequest])
def test_changelists_open_in_russian(superuser_client, model, resident):
    MembershipFactory(user=resident)
    url = reverse(f"admin:accounts_{model._meta.model_name}_changelist")
    response = superuser_client.get(url)
    assert response.status_code == 200
    assert str(model._meta.verbose_name) in response.content.decode()


def test_user_search_by_email_and_name(superuser_client):
    UserFactory(email="findme@example.ru", last_name="Искомый")
    UserFactory(email="other@example.ru", last_name="Другой")
    url = reverse("admin:accounts_user_changelist")
    for query in ("findme", "Искомый"):
        content = superuser_client.get(url, {"q": query}).content.decode()
        assert "findme@example.ru" in content
        assert "other@example.ru" not in content


def test_organisation_search_by_inn_and_name(superuser_client):
    OrganisationFactory(name="ООО «Искомая»", inn="7707083893")
    OrganisationFactory(name="ООО «Другая»")
    url = reverse("admin:accounts_organisation_changelist")
    for query in ("7707083893", "Искомая"):
        content = superuser_client.get(url, {"q": query}).content.decode()
        assert "Искомая" in content
        assert "Другая" not in content


def test_user_page_never_shows_the_password_hash(superuser_client):
    user = UserFactory()
    content = superuser_client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()
    assert user.password not in content
    assert user.password.split("$")[0] not in content  # not even the algorithm with its salt
    assert "argon2" not in content


def test_staff_create_a_user_with_a_checked_password(superuser_client):
    url = reverse("admin:accounts_user_add")
    short = superuser_client.post(url, {"email": "new.staff@example.ru", "password1": "short", "password2": "short"})
    assert short.status_code == 200
    assert not User.objects.filter(email="new.staff@example.ru").exists()
    password = "Надёжный-пароль-сотрудника-1"
    superuser_client.post(
        url, {"email": "New.Staff@example.ru", "password1": password, "password2": password, "is_staff": "on"}
    )
    user = User.objects.get(email="new.staff@example.ru")
    assert user.check_password(password)
    assert user.is_staff


def test_consents_are_read_only(superuser_client, resident):
    consent = Consent.objects.get(user=resident)
    response = superuser_client.post(
        reverse("admin:accounts_consent_change", args=[consent.pk]), {"ip_address": "203.0.113.1"}
    )
    assert response.status_code == 403
    consent.refresh_from_db()
    assert consent.ip_address == "192.0.2.1"
    assert superuser_client.get(reverse("admin:accounts_consent_add")).status_code == 403


def test_operator_sees_but_cannot_resolve_closure_requests(client, resident):
    consent = Consent.objects.get(user=resident)
    closure = services.consent_withdraw(user=resident, consent_id=consent.pk)
    operator = StaffFactory()
    operator.groups.add(Group.objects.get(name=roles.OPERATORS))
    client.force_login(operator)
    url = reverse("admin:accounts_closurerequest_changelist")
    assert client.get(url).status_code == 200
    client.post(url, {"action": "mark_done", "_selected_action": [closure.pk]})
    closure.refresh_from_db()
    assert closure.status == ClosureRequest.Status.OPEN

    supervisor = StaffFactory()
    supervisor.groups.add(Group.objects.get(name=roles.SUPERVISORS))
    client.force_login(supervisor)
    client.post(url, {"action": "mark_done", "_selected_action": [closure.pk]})
    closure.refresh_from_db()
    assert closure.status == ClosureRequest.Status.DONE


class TestRoles:
    def test_groups_exist_with_their_permissions(self):
        for name in (roles.OPERATORS, roles.SUPERVISORS, roles.CONTENT_EDITORS, roles.ADMINISTRATORS):
            assert Group.objects.filter(name=name).exists()
        supervisors = Group.objects.get(name=roles.SUPERVISORS)
        codenames = set(supervisors.permissions.values_list("codename", flat=True))
        assert {"view_user", "change_closurerequest"} <= codenames
        operators = set(Group.objects.get(name=roles.OPERATORS).permissions.values_list("codename", flat=True))
        assert "change_closurerequest" not in operators

    def test_applying_is_idempotent_and_skips_unknown_codenames(self):
        extended = {
            **roles.GROUP_PERMISSIONS,
            roles.OPERATORS: [*roles.GROUP_PERMISSIONS[roles.OPERATORS], "future_app.view_thing", "nope.nothing"],
        }
        roles.apply_group_permissions(extended)
        first = {g.name: set(g.permissions.all()) for g in Group.objects.all()}
        roles.apply_group_permissions(extended)
        assert {g.name: set(g.permissions.all()) for g in Group.objects.all()} == first
        assert len(first[roles.OPERATORS]) == len(roles.GROUP_PERMISSIONS[roles.OPERATORS])

    def test_map_is_the_truth(self):
        group = Group.objects.get(name=roles.CONTENT_EDITORS)
        group.permissions.add(*Group.objects.get(name=roles.ADMINISTRATORS).permissions.all())
        roles.apply_group_permissions()
        expected = {codename.split(".", 1)[1] for codename in roles.GROUP_PERMISSIONS[roles.CONTENT_EDITORS]}
        assert set(group.permissions.values_list("codename", flat=True)) == expected


def test_every_codename_in_the_map_of_an_installed_app_exists():
    """A typo in the map would be skipped silently like a future app's codename: catch it for installed apps."""
    from django.apps import apps
    from django.contrib.auth.models import Permission

    installed = {config.label for config in apps.get_app_configs() if list(config.get_models())}
    existing = {f"{app}.{code}" for app, code in Permission.objects.values_list("content_type__app_label", "codename")}
    for codenames in roles.GROUP_PERMISSIONS.values():
        for codename in codenames:
            if codename.split(".")[0] in installed:
                assert codename in existing, codename


def test_an_administrator_cannot_edit_a_superuser(client):
    """Editing a superuser's email and resetting its password by mail would make anyone with
    change_user a superuser: only a superuser edits one."""
    root = StaffFactory(is_superuser=True, email="root@example.ru")
    administrator = StaffFactory()
    administrator.groups.add(Group.objects.get(name=roles.ADMINISTRATORS))
    client.force_login(administrator)
    url = reverse("admin:accounts_user_change", args=[root.pk])
    client.post(url, {"email": "grab@example.ru", "is_active": "on", "is_staff": "on",
                      "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    root.refresh_from_db()
    assert root.email == "root@example.ru"
    assert client.get(url).status_code == 200  # still visible, read-only

    colleague = StaffFactory(email="colleague@example.ru")
    client.post(reverse("admin:accounts_user_change", args=[colleague.pk]),
                {"email": "colleague.new@example.ru", "is_active": "on", "is_staff": "on",
                 "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    colleague.refresh_from_db()
    assert colleague.email == "colleague.new@example.ru"


def _organisation_post(org, **changes):
    data = {
        "kind": org.kind, "name": org.name, "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195",
        "legal_address": org.legal_address, "contact_person": "", "contact_position": "",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    return {**data, **changes}


class TestOrganisationAdminForm:
    def test_valid_identifiers_save(self, superuser_client):
        org = OrganisationFactory()
        url = reverse("admin:accounts_organisation_change", args=[org.pk])
        response = superuser_client.post(url, _organisation_post(org, kpp="7736ab001".upper()))
        assert response.status_code == 302
        org.refresh_from_db()
        assert (org.inn, org.kpp) == ("7707083893", "7736AB001")

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"inn": "🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂"}, "10 цифр"),
            ({"inn": "7707083894"}, "контрольная цифра"),
            ({"kpp": "٧٧٣٦٠١٠٠١"}, "9 символов"),
            ({"kpp": "７７３６０１００１"}, "9 символов"),
            ({"ogrn": "1027700132194"}, "контрольная цифра"),
            ({"name": "СРОЧНО: оплатите 18 450 руб. на pay-energo.example"}, "ссылки"),
            ({"kind": "sole"}, "12 цифр"),
            ({"kind": "sole", "inn": "500100732259", "ogrn": "304500116000157"}, "нет КПП"),
        ],
    )
    def test_bad_values_are_refused_beside_their_field(self, superuser_client, changes, message):
        org = OrganisationFactory(inn="7728168971", kpp="772801001")
        url = reverse("admin:accounts_organisation_change", args=[org.pk])
        response = superuser_client.post(url, _organisation_post(org, **changes))
        assert response.status_code == 200
        assert message in response.content.decode()
        org.refresh_from_db()
        assert org.inn == "7728168971"

    @pytest.mark.parametrize("user_value", ["abc", "1.5", "-1", "99999999999999999999"])
    def test_a_malformed_member_id_is_a_form_error_not_a_500(self, superuser_client, user_value):
        org = OrganisationFactory()
        url = reverse("admin:accounts_organisation_change", args=[org.pk])
        data = _organisation_post(
            org,
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-0-user": user_value,
                "memberships-0-role": "member",
                "memberships-0-organisation": str(org.pk),
            },
        )
        response = superuser_client.post(url, data)
        assert response.status_code == 200
        assert "Выберите корректный вариант" in response.content.decode()
        assert not Membership.objects.filter(organisation=org).exists()

    def test_a_malformed_organisation_id_on_the_user_page_is_a_form_error(self, superuser_client):
        user = UserFactory()
        url = reverse("admin:accounts_user_change", args=[user.pk])
        page = superuser_client.get(url)
        form = page.context["adminform"].form
        data = {name: form.initial.get(name) or "" for name in form.fields}
        data.update({"email": user.email, "is_active": "on", "memberships-TOTAL_FORMS": "1",
                     "memberships-INITIAL_FORMS": "0", "memberships-MIN_NUM_FORMS": "0",
                     "memberships-MAX_NUM_FORMS": "1000", "memberships-0-organisation": "abc",
                     "memberships-0-role": "member", "memberships-0-user": str(user.pk)})  # fmt: skip
        data = {k: v for k, v in data.items() if v is not None and not isinstance(v, list)}
        response = superuser_client.post(url, data)
        assert response.status_code == 200
        assert "Выберите корректный вариант" in response.content.decode()
