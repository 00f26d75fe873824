"""The dashboard's page and exports: who may open them, bad input, the downloads, the query count."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from monitoring.tests.conftest import msk, staff_with

URL = reverse("monitoring:dashboard")
LAST_MONTH = {"period": "last_month"}


def export_url(table="summary", fmt="csv"):
    return reverse("monitoring:export", args=[table, fmt])


@pytest.fixture
def frozen(monkeypatch):
    """The dashboard looked at on 2 March 2026 (the fixture's «now»)."""
    from django.utils import timezone

    now = msk(3, 2)
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


@pytest.mark.django_db
class TestAccess:
    @pytest.mark.parametrize("url", [URL, export_url(), export_url("late", "xlsx")])
    def test_anonymous_goes_to_the_admin_login(self, client, url):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))

    @pytest.mark.parametrize("url", [URL, export_url()])
    def test_a_customer_gets_the_admin_login_not_the_figures(self, client, customer, url):
        client.force_login(customer)
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))

    @pytest.mark.parametrize("url", [URL, export_url(), export_url("ratings", "xlsx")])
    def test_an_operator_without_the_permission_is_refused(self, client, operator, url):
        client.force_login(operator)
        assert client.get(url).status_code == 403

    def test_staff_pass_the_second_factor_first(self, unverified_client, supervisor):
        unverified_client.force_login(supervisor)
        response = unverified_client.get(URL)
        assert response.status_code == 302 and response["Location"].startswith(reverse("staffauth:verify"))

    def test_the_admin_index_links_the_dashboard_for_supervisors_only(self, client, supervisor, operator):
        client.force_login(supervisor)
        assert URL in client.get(reverse("admin:index")).content.decode()
        client.force_login(operator)
        assert URL not in client.get(reverse("admin:index")).content.decode()

    def test_a_personal_view_shows_only_ones_own_figures(self, client, february, operator2, frozen):
        personal = staff_with("appeals.view_appeal", "appeals.change_appeal", "monitoring.view_own_figures")
        operator2.user_permissions.add(*personal.user_permissions.all())
        operator2 = type(operator2).objects.get(pk=operator2.pk)
        client.force_login(operator2)
        response = client.get(URL, {**LAST_MONTH, "operator": february["late"].assignee_id})
        assert response.status_code == 200
        figures = response.context["figures"]
        assert figures.operator == operator2
        assert figures.received["received"] == 1 and figures.answered["answered"] == 1
        assert "operator" not in response.context["form"].fields
        assert "Показаны только ваши показатели." in response.content.decode()


@pytest.mark.django_db
class TestPage:
    def test_last_month(self, client, supervisor, february, frozen):
        client.force_login(supervisor)
        response = client.get(URL, LAST_MONTH)
        assert response.status_code == 200
        page = response.content.decode()
        assert "01.02.2026 — 28.02.2026" in page
        assert 'data-figure="on-time-share">80,0 %' in page
        late = february["late"]
        assert reverse("admin:appeals_appeal_change", args=[late.pk]) in page
        assert "monitoring-charts" in page and "vendor/chart.js/chart.umd.min.js" in page
        for key in response.context["tables"]:
            assert export_url(key, "csv") in page and export_url(key, "xlsx") in page

    def test_the_page_says_when_the_past_days_were_counted(self, client, supervisor, february, frozen):
        from monitoring import rollups

        client.force_login(supervisor)
        before = client.get(URL, LAST_MONTH)
        assert "data-rolled-at" not in before.content.decode()
        rollups.refresh_days(date(2026, 1, 1), date(2026, 3, 2), now=msk(3, 2, 9, 45))
        page = client.get(URL, LAST_MONTH).content.decode()
        assert "данные за прошлые дни обновлены в 02.03.2026 09:45" in page
        after = client.get(URL, LAST_MONTH).context["tables"]
        for key in ("summary", "needs_topics", "needs_kinds", "trend"):
            assert after[key].rows == before.context["tables"][key].rows

    def test_filter_by_operator(self, client, supervisor, operator2, february, frozen):
        client.force_login(supervisor)
        response = client.get(URL, {**LAST_MONTH, "operator": operator2.pk})
        assert response.context["figures"].answered["answered"] == 1

    @pytest.mark.parametrize("params, field, message", [
        ({"period": "custom"}, "start", "Укажите первый день периода."),
        ({"period": "custom", "start": "2026-02-10", "end": "2026-02-01"}, "end",
         "Последний день периода раньше первого."),
        ({"period": "custom", "start": "2024-01-01", "end": "2026-02-01"}, "end", "Период — не длиннее года"),
        ({"period": "custom", "start": "вчера", "end": "2026-02-01"}, "start", "Введите правильную дату."),
        ({"period": "decade"}, "period", "Выберите корректный вариант."),
        ({"operator": "999999"}, "operator", "Такого исполнителя нет в списке"),
        ({"operator": "abc"}, "operator", "Такого исполнителя нет в списке"),
    ])
    def test_bad_input_is_explained_and_this_month_shown(self, client, supervisor, params, field, message):
        client.force_login(supervisor)
        response = client.get(URL, params)
        assert response.status_code == 400
        assert message in " ".join(response.context["form"].errors[field])
        assert "Проверьте выбор периода" in response.content.decode()

    def test_custom_period(self, client, supervisor, february, frozen):
        client.force_login(supervisor)
        response = client.get(URL, {"period": "custom", "start": "2026-02-09", "end": "2026-02-10"})
        assert response.status_code == 200
        assert response.context["figures"].received["received"] == 2

    def test_the_query_count_does_not_grow(self, client, supervisor, february, customer, frozen,
                                           django_assert_max_num_queries):
        from appeals.tests.factories import submit

        client.force_login(supervisor)
        client.get(URL, LAST_MONTH)
        with django_assert_max_num_queries(25) as captured:
            client.get(URL, LAST_MONTH)
        for day in range(2, 26):
            submit(customer, now=msk(2, day), subject=f"Ещё {day}")
        with django_assert_max_num_queries(len(captured.captured_queries)):
            client.get(URL, LAST_MONTH)


@pytest.mark.django_db
class TestExports:
    def test_csv(self, client, supervisor, february, frozen):
        client.force_login(supervisor)
        response = client.get(export_url("summary", "csv"), LAST_MONTH)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert 'filename="summary-2026-02-01-2026-02-28.csv"' in response["Content-Disposition"]
        text = b"".join(response.streaming_content).decode("utf-8")
        assert text.startswith("\ufeffПоказатель;Значение")
        assert "Доля ответов в срок, %;80.0" in text

    def test_xlsx(self, client, supervisor, february, frozen):
        client.force_login(supervisor)
        response = client.get(export_url("late", "xlsx"), LAST_MONTH)
        assert response.status_code == 200
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        assert rows[0][0] == "Обращение"
        assert [(r[0], r[5]) for r in rows[1:]] == [(f"№ {february['late'].number}", 82.0)]

    @pytest.mark.parametrize("table, fmt", [("nothing", "csv"), ("summary", "pdf")])
    def test_unknown_table_or_format_is_404(self, client, supervisor, table, fmt):
        client.force_login(supervisor)
        assert client.get(export_url(table, fmt)).status_code == 404
