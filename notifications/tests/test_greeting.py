"""An email greets the person once, even when the staff member's own text greets them too."""

import pytest

from notifications.templatetags.notifications import without_greeting


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Здравствуйте, Анна Петровна!\n\nПерерасчёт выполнен.", "Перерасчёт выполнен."),
        ("Здравствуйте! Перерасчёт выполнен.", "Перерасчёт выполнен."),
        ("здравствуйте.\nПерерасчёт выполнен.", "Перерасчёт выполнен."),
        ("Добрый день, Иван.\nПришлите копию договора.", "Пришлите копию договора."),
        ("Уважаемая Анна Петровна!\nОтвет на ваш вопрос ниже.", "Ответ на ваш вопрос ниже."),
        ("Уважаемый клиент, ваш платёж учтён.", "Уважаемый клиент, ваш платёж учтён."),
        ("Перерасчёт выполнен. Здравствуйте!", "Перерасчёт выполнен. Здравствуйте!"),
        ("Здравствуйте!", "Здравствуйте!"),  # nothing but a greeting: keep it rather than send nothing
        ("", ""),
    ],
)
def test_a_staff_text_loses_only_its_own_opening_greeting(text, expected):
    assert without_greeting(text) == expected


@pytest.mark.django_db
def test_the_answer_email_greets_once():
    from notifications.events import get_event_type
    from notifications.rendering import render_message

    message = render_message(
        get_event_type("appeals.answered"),
        {"number": "2026-000001", "subject": "Перерасчёт", "answer_text": "Здравствуйте, Анна!\n\nСделали перерасчёт.",
         "has_account": True},
        language="ru", recipient_name="Анна",
    )  # fmt: skip
    assert message.email_text.count("Здравствуйте") == 1
    assert "Сделали перерасчёт." in message.email_text
