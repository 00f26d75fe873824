"""A number meets a noun in the noun's own Russian form: 1 запись, 3 записи, 6 записей."""

import pytest
from django.template.loader import render_to_string

from accounts.tests.factories import StaffFactory


@pytest.mark.parametrize(
    ("days", "phrase"),
    [
        (1, "Срок в ближайший 1 рабочий день"),
        (3, "Срок в ближайшие 3 рабочих дня"),
        (5, "Срок в ближайшие 5 рабочих дней"),
    ],
)
def test_the_supervisors_digest_counts_working_days_in_russian(days, phrase):
    context = {"soon_days": days, "due_soon": 2, "overdue": 0, "due_today": 0, "total_open": 2, "rows": []}
    for name in ["body.txt", "body.html"]:
        text = render_to_string(f"appeals/notifications/digest/{name}", context)
        assert phrase in text
        assert "(-ей)" not in text


@pytest.mark.django_db
def test_admin_lists_count_their_rows_in_russian(client):
    from deadlines.models import DeadlineRule

    client.force_login(StaffFactory(is_superuser=True))
    html = client.get("/admin/deadlines/deadlinerule/").content.decode()
    paginator = html.split('class="paginator"')[1].split("</p>")[0]
    count = DeadlineRule.objects.count()
    assert count > 4
    if count % 10 == 1 and count % 100 != 11:
        expected = "запись"
    elif 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        expected = "записи"
    else:
        expected = "записей"
    assert f"{count} {expected}" in paginator
    assert "правил" not in paginator
