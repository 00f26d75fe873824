"""The customer's pages: filing with every bad input, the list, the appeal page and its actions."""

import uuid

import pytest
from django.urls import reverse

from accounts.tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory
from appeals import services
from appeals.files import MAX_FILE_SIZE, check_file
from appeals.models import Appeal, Attachment
from appeals.tests.conftest import stored_files
from appeals.tests.factories import (
    EXE_BYTES,
    JPEG_BYTES,
    NOW,
    PDF_BYTES,
    PNG_BYTES,
    ooxml_bytes,
    plain_zip_bytes,
    submit,
    upload,
)
from notifications.models import Notification

pytestmark = pytest.mark.django_db
NEW = reverse("appeals:new")


def form_data(**overrides):
    data = {
        "kind": "complaint",
        "topic": "billing",
        "subject": "Неверное начисление",
        "text": "В квитанции за февраль начислено 9000 кВт·ч вместо 300.",
        "answer_channel": "cabinet",
        "postal_address": "",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.fixture
def client_a(client, customer_a):
    client.force_login(customer_a)
    return client


class TestFiling:
    def test_filing_runs_a_fixed_number_of_queries(self, client_a, django_assert_num_queries):
        client_a.post(NEW, form_data())  # the year's number counter exists, the session was renewed
        # Session, user, organisations and bound contracts (the form's choices); in the filing's transaction
        # (a savepoint here, BEGIN and COMMIT outside the test's transaction): the person's row locked and
        # their filings in the window counted, the number (one UPDATE … RETURNING), the appeal, its history
        # row (the audit trail) and its event, the person's switches and language (one query), the notice
        # (one INSERT … ON CONFLICT DO NOTHING), who distributes new appeals: 15. The deadline rule and the
        # calendar come from the process's copy (deadlines.tables). Before issue 11: 25 (without the audit
        # trail); 19 before the copy and the notice's savepoint went.
        with django_assert_num_queries(15):
            response = client_a.post(NEW, form_data())
        assert response.status_code == 302

    def test_form_preselects_the_topic_from_the_link(self, client_a):
        response = client_a.get(NEW + "?topic=metering")
        assert response.status_code == 200
        assert response.context["form"].initial["topic"] == "metering"
        assert "organisation" not in response.context["form"].fields

    def test_filing_with_files_shows_the_number_and_due_date_at_once(self, client_a, customer_a, media_root):
        files = [upload("акт.pdf"), upload("фото.jpg", JPEG_BYTES, "image/jpeg"), upload("s.png", PNG_BYTES),
                 upload("письмо.docx", ooxml_bytes("docx")), upload("расчёт.xlsx", ooxml_bytes("xlsx"))]
        response = client_a.post(NEW, form_data(files=files), follow=True)
        appeal = Appeal.objects.get()
        assert response.redirect_chain[-1][0] == reverse("appeals:submitted", args=[appeal.number])
        body = response.content.decode()
        assert appeal.number in body
        assert "05.03.2026" in body or appeal.due_at.strftime("%d.%m.%Y") in body
        assert appeal.author == customer_a and appeal.channel == "cabinet"
        assert sorted(Attachment.objects.values_list("content_type", flat=True)) == sorted([
            "application/pdf", "image/jpeg", "image/png",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ])
        assert len(stored_files(media_root)) == 5
        detail = client_a.get(reverse("appeals:detail", args=[appeal.number])).content.decode()
        assert appeal.number in detail and "акт.pdf" in detail

    def test_a_repeated_post_files_one_appeal(self, client_a):
        data = form_data()
        first = client_a.post(NEW, data)
        second = client_a.post(NEW, data)
        assert Appeal.objects.count() == 1
        assert first["Location"] == second["Location"]

    @pytest.mark.parametrize(
        ("files", "message"),
        [
            ([upload("вирус.pdf", EXE_BYTES)], "не является документом"),
            ([upload("архив.docx", plain_zip_bytes())], "не является документом"),
            ([upload("макрос.docx", ooxml_bytes("docx", macros=True))], "не является документом"),
            ([upload("таблица.docx", ooxml_bytes("xlsx"))], "не соответствует его содержимому"),
            ([upload("картинка.pdf", PNG_BYTES)], "не соответствует его содержимому"),
            ([upload("пустой.pdf", b"")], "пустой"),
            ([upload("огромный.pdf", PDF_BYTES + b"0" * MAX_FILE_SIZE)], "больше 10"),
            ([upload(f"{i}.pdf") for i in range(6)], "не больше 5 файлов"),
            ([upload("счёт.pdf.exe", PDF_BYTES)], "похож на программу"),
            ([upload("счёт.exe.pdf", PDF_BYTES)], "похож на программу"),
            ([upload("page.html", b"<html></html>")], "похож на программу"),
            ([upload(".htaccess.pdf", PDF_BYTES)], "Недопустимое имя"),
            ([upload("CON.pdf", PDF_BYTES)], "Недопустимое имя"),
            ([upload("без_расширения", PDF_BYTES)], "нет расширения"),
        ],
        ids=["exe-as-pdf", "zip-as-docx", "macro-docx", "xlsx-as-docx", "png-as-pdf", "empty", "oversize",
             "too-many", "double-ext", "exe-inside", "html", "dotfile", "reserved", "no-ext"],
    )
    def test_bad_files_get_a_clear_error_and_leave_nothing(self, client_a, media_root, files, message):
        response = client_a.post(NEW, form_data(files=files))
        assert response.status_code == 200
        errors = " ".join(response.context["form"].errors.get("files", []))
        assert message in errors
        assert message in response.content.decode()
        assert not Appeal.objects.exists()
        assert not Attachment.objects.exists()
        assert stored_files(media_root) == []

    def test_slashes_in_a_file_name_are_refused(self):
        # Browsers strip paths; a hand-made request may not. Django drops the directory part too.
        from django.core.exceptions import ValidationError

        from appeals.files import clean_file_name

        for name in ("../../etc/passwd.pdf", "C:\\temp\\a.pdf", "a..pdf", "отчёт\u202efdp.exe", "a\x00.pdf"):
            with pytest.raises(ValidationError):
                clean_file_name(name)

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"subject": ""}, "subject"),
            ({"subject": "x" * 201}, "subject"),
            ({"text": "коротко"}, "text"),
            ({"kind": "praise"}, "kind"),
            ({"topic": "weather"}, "topic"),
            ({"answer_channel": "post", "postal_address": ""}, "postal_address"),
            ({"answer_channel": "pigeon"}, "answer_channel"),
            ({"idempotency_key": "not-a-uuid"}, "idempotency_key"),
        ],
    )
    def test_bad_fields_are_reported_next_to_the_field(self, client_a, overrides, field):
        response = client_a.post(NEW, form_data(**overrides))
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert not Appeal.objects.exists()

    def test_member_files_for_the_organisation_but_not_for_a_stranger(self, client_a, customer_a):
        mine, other = OrganisationFactory(), OrganisationFactory()
        MembershipFactory(user=customer_a, organisation=mine)
        response = client_a.post(NEW, form_data(organisation=str(other.pk)))
        assert "organisation" in response.context["form"].errors
        client_a.post(NEW, form_data(organisation=str(mine.pk)))
        assert Appeal.objects.get().organisation == mine
        client_a.post(NEW, form_data(organisation=""))
        assert Appeal.objects.filter(organisation__isnull=True).count() == 1

    def test_someone_elses_idempotency_key_is_a_form_error_not_a_500(self, client_a, customer_b):
        key = uuid.uuid4()
        submit(customer_b, idempotency_key=key)
        response = client_a.post(NEW, form_data(idempotency_key=str(key)))
        assert response.status_code == 200
        assert "Форма устарела" in response.content.decode()
        assert Appeal.objects.count() == 1

    def test_staff_files_do_not_count_towards_the_customers_five(self, client_a, customer_a, operator):
        from appeals.files import check_file

        appeal = submit(customer_a, files=[upload(f"{i}.pdf") for i in range(4)])
        services.appeal_transition(appeal.pk, to="in_progress", actor=operator)
        services.appeal_add_message(appeal.pk, actor=operator, text="Скан", internal=True,
                                    files=[check_file(upload("служебный.pdf"))])
        services.appeal_transition(appeal.pk, to="waiting_for_customer", actor=operator, comment="Ещё акт")
        url = reverse("appeals:reply", args=[appeal.number])
        too_many = client_a.post(url, {"text": "Два акта", "files": [upload("a.pdf"), upload("b.pdf")]})
        assert too_many.status_code == 400 and "уже приложено: 4" in too_many.content.decode()
        assert client_a.post(url, {"text": "Один акт", "files": [upload("a.pdf")]}).status_code == 302

    def test_anonymous_visitors_are_sent_to_log_in(self, client):
        response = client.get(NEW)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


class TestListAndPage:
    def test_list_shows_own_appeals_filtered_by_status(self, client_a, customer_a, customer_b, operator):
        mine = submit(customer_a, subject="Моё первое")
        other = submit(customer_a, subject="Моё второе")
        submit(customer_b, subject="Чужое")
        services.appeal_transition(other.pk, to="in_progress", actor=operator)
        body = client_a.get(reverse("appeals:list")).content.decode()
        assert "Моё первое" in body and "Моё второе" in body and "Чужое" not in body
        filtered = client_a.get(reverse("appeals:list") + "?status=registered").content.decode()
        assert mine.number in filtered and other.number not in filtered

    def test_list_escapes_what_people_wrote(self, client_a, customer_a):
        organisation = OrganisationFactory(name='ООО "Рога & копыта"')
        MembershipFactory(user=customer_a, organisation=organisation)
        appeal = submit(customer_a, subject="<script>alert(1)</script> счёт", organisation=organisation)
        body = client_a.get(reverse("appeals:list")).content.decode()
        assert "<script>alert(1)" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt; счёт" in body
        assert "ООО &quot;Рога &amp; копыта&quot; · <span data-appeal-filed-by>" in body
        assert f'<a href="/appeals/{appeal.number}/">{appeal.number}</a>' in body

    def test_list_stacks_on_a_phone_with_a_label_on_every_cell(self, client_a, customer_a):
        submit(customer_a, subject="Моё")
        body = client_a.get(reverse("appeals:list")).content.decode()
        assert 'table-stack' in body
        for label in ("Предмет", "Вид", "Статус", "Срок ответа", "Последнее действие"):
            assert f'data-label="{label}"' in body

    def test_list_runs_a_constant_number_of_queries(self, client_a, customer_a, django_assert_num_queries):
        organisation = OrganisationFactory()
        MembershipFactory(user=customer_a, organisation=organisation)
        submit(customer_a)
        url = reverse("appeals:list")
        client_a.get(url)  # warm the session
        # Session and user, the user's organisations, the page of appeals, the notification bell's unread
        # count: 5 (the session is renewed at most once a minute, not saved on every page). One page holds
        # every appeal: no count.
        with django_assert_num_queries(5):
            response = client_a.get(url)
        assert not response.context["page"].has_other_pages()
        for _ in range(30):
            submit(customer_a, organisation=organisation)
        # More than a page: the appeals are counted as well (6), whatever their number.
        with django_assert_num_queries(6):
            response = client_a.get(url)
        assert len(response.context["page"].object_list) == 20

    def test_the_pages_of_the_list_hold_own_and_colleagues_appeals_each_once(self, client_a, customer_a, customer_b):
        organisation = OrganisationFactory()
        MembershipFactory(user=customer_a, organisation=organisation)
        MembershipFactory(user=customer_b, organisation=organisation)
        outsider = UserFactory()
        other = OrganisationFactory()
        MembershipFactory(user=outsider, organisation=other)
        expected = set()
        for n in range(25):
            filer, for_organisation = (customer_b, organisation) if n % 2 else (customer_a, None)
            expected.add(submit(filer, subject=f"Обращение {n}", organisation=for_organisation).number)
        submit(customer_b, subject="Личное коллеги")  # a colleague's own appeal is theirs alone
        submit(outsider, subject="Чужой организации", organisation=other)
        first = client_a.get(reverse("appeals:list"))
        second = client_a.get(reverse("appeals:list") + "?page=2")
        shown = [a.number for a in first.context["page"].object_list] + [
            a.number for a in second.context["page"].object_list]
        assert len(shown) == 25 and set(shown) == expected
        assert first.context["page"].paginator.count == 25
        assert "Личное коллеги" not in second.content.decode() + first.content.decode()

    def test_appeal_page_query_count_does_not_grow_with_history(self, client_a, customer_a, operator,
                                                               django_assert_num_queries):
        appeal = submit(customer_a, files=[upload()])
        url = reverse("appeals:detail", args=[appeal.number])
        client_a.get(url)
        # Session, user, the appeal, its events, its files, the notification bell: 6. No messages and no
        # decisions in its history: neither is read. The production calendar (the due date explained)
        # comes from the process's copy (deadlines.tables).
        with django_assert_num_queries(6):
            client_a.get(url)
        services.appeal_transition(appeal.pk, to="in_progress", actor=operator)
        # An internal note with a file: neither the note nor its file reaches the customer.
        services.appeal_add_message(appeal.pk, actor=operator, text="Служебное", internal=True,
                                    files=[check_file(upload("служебный.pdf"))])
        services.appeal_transition(appeal.pk, to="waiting_for_customer", actor=operator, comment="Вопрос 0")
        services.appeal_add_message(appeal.pk, actor=customer_a, text="Ответ 0")
        # A message in the history: the messages are read too.
        with django_assert_num_queries(7) as captured:
            client_a.get(url)
        for i in range(1, 5):
            services.appeal_transition(appeal.pk, to="waiting_for_customer", actor=operator, comment=f"Вопрос {i}")
            services.appeal_add_message(appeal.pk, actor=customer_a, text=f"Ответ {i}",
                                        files=[check_file(upload(f"ответ-{i}.pdf"))])
        with django_assert_num_queries(len(captured.captured_queries)):
            response = client_a.get(url)
        page = response.content.decode()
        assert "Вопрос 4" in page and "Ответ 4" in page and "ответ-4.pdf" in page and "акт.pdf" in page
        assert "Служебное" not in page and "служебный.pdf" not in page

    def test_reply_while_waiting_then_withdraw(self, client_a, customer_a, operator):
        appeal = submit(customer_a)
        url = reverse("appeals:detail", args=[appeal.number])
        assert "Ответить на запрос" not in client_a.get(url).content.decode()
        services.appeal_transition(appeal.pk, to="in_progress", actor=operator)
        services.appeal_transition(appeal.pk, to="waiting_for_customer", actor=operator, comment="Пришлите акт.")
        page = client_a.get(url).content.decode()
        assert "Пришлите акт." in page and "Ответить на запрос" in page
        bad = client_a.post(reverse("appeals:reply", args=[appeal.number]),
                            {"text": "Вот акт", "files": [upload("акт.pdf", EXE_BYTES)]})
        assert bad.status_code == 400 and "не является документом" in bad.content.decode()
        client_a.post(reverse("appeals:reply", args=[appeal.number]), {"text": "Вот акт", "files": [upload()]})
        appeal.refresh_from_db()
        assert appeal.status == "in_progress" and appeal.attachments.count() == 1
        client_a.post(reverse("appeals:withdraw", args=[appeal.number]), {"comment": "Решилось"})
        appeal.refresh_from_db()
        assert appeal.status == "withdrawn"

    def test_a_staff_member_acts_on_their_own_appeal_as_a_customer(self, client, operator):
        """A content editor is a resident too: their own appeal is theirs to answer, withdraw and rate,
        and their reply reaches the operator, not themselves."""
        editor = StaffFactory(email="editor@example.ru")
        appeal = submit(editor)
        services.appeal_transition(appeal.pk, to="in_progress", actor=operator)
        services.appeal_transition(appeal.pk, to="waiting_for_customer", actor=operator, comment="Пришлите акт.")
        client.force_login(editor)
        reply = client.post(reverse("appeals:reply", args=[appeal.number]), {"text": "Вот акт"})
        assert reply.status_code == 302
        appeal.refresh_from_db()
        assert appeal.status == "in_progress"
        assert Notification.objects.filter(recipient=operator, event="appeals.customer_activity").exists()
        assert not Notification.objects.filter(recipient=editor, event="appeals.message").exists()
        client.post(reverse("appeals:withdraw", args=[appeal.number]), {"comment": "Решилось"})
        appeal.refresh_from_db()
        assert appeal.status == "withdrawn"

    def test_answer_rating_and_reopen(self, client_a, customer_a, operator):
        appeal = submit(customer_a, now=None)
        services.appeal_answer(appeal.pk, actor=operator, text="Начисления исправлены.", letter=upload("ответ.pdf"),
                               expected_version=appeal.version)
        url = reverse("appeals:detail", args=[appeal.number])
        page = client_a.get(url).content.decode()
        assert "Начисления исправлены." in page and "ответ.pdf" in page and "Оцените ответ" in page
        bad = client_a.post(reverse("appeals:rate", args=[appeal.number]), {"rating": "9"})
        assert bad.status_code == 400 and "rating" in bad.context["rate_form"].errors
        client_a.post(reverse("appeals:rate", args=[appeal.number]), {
            "rating": "2", "solved": "no", "supply_rating": "4", "comment": "Долго",
        })
        appeal.refresh_from_db()
        assert appeal.rating == 2
        bad = client_a.post(reverse("appeals:reopen", args=[appeal.number]), {"comment": ""})
        assert bad.status_code == 400
        client_a.post(reverse("appeals:reopen", args=[appeal.number]), {"comment": "Ничего не исправлено"})
        appeal.refresh_from_db()
        assert appeal.status == "reopened" and appeal.reopened_count == 1

    def test_withdrawing_an_answered_appeal_is_refused_with_a_message(self, client_a, customer_a, operator):
        appeal = submit(customer_a, now=None)
        services.appeal_answer(appeal.pk, actor=operator, text="Ответ", expected_version=appeal.version)
        response = client_a.post(reverse("appeals:withdraw", args=[appeal.number]), {"comment": ""})
        assert response.status_code == 400
        assert "Нельзя перевести обращение" in response.content.decode()

    def test_attachment_download_is_a_private_attachment(self, client_a, customer_a):
        appeal = submit(customer_a, files=[upload("Акт №1.pdf")])
        attachment = appeal.attachments.get()
        response = client_a.get(reverse("appeals:attachment", args=[appeal.number, attachment.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF_BYTES


def test_cabinet_shows_open_appeals_and_what_waits(client, customer_a, operator):
    waiting = submit(customer_a, subject="Ждёт меня")
    submit(customer_a, subject="Просто открыто")
    services.appeal_transition(waiting.pk, to="in_progress", actor=operator, now=NOW)
    services.appeal_transition(waiting.pk, to="waiting_for_customer", actor=operator, comment="?", now=NOW)
    client.force_login(customer_a)
    body = client.get(reverse("cabinet")).content.decode()
    assert "Ждёт меня" in body and "Просто открыто" in body
    assert "ждёт ваших сведений" in body


def test_the_appeal_heading_keeps_its_number_on_one_line(client, customer_a):
    appeal = submit(customer_a)
    client.force_login(customer_a)
    html = client.get(reverse("appeals:detail", args=[appeal.number])).content.decode()
    assert f'<span class="text-nowrap">{appeal.number}</span>' in html
