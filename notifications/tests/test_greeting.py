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


@pytest.mark.django_db
def test_a_message_renders_only_the_forms_its_channels_carry():
    from notifications.events import get_event_type
    from notifications.models import Channel
    from notifications.rendering import render_message

    def render(channels):
        return render_message(
            get_event_type("appeals.answered"),
            {"number": "2026-000001", "subject": "Перерасчёт", "answer_text": "Сделали перерасчёт.",
             "has_account": True},
            language="ru", recipient_name="Анна", channels=channels,
        )  # fmt: skip

    everything = render(None)
    inbox = render([Channel.INAPP])
    assert (inbox.subject, inbox.body) == (everything.subject, everything.body)
    assert (inbox.email_text, inbox.email_html, inbox.sms) == ("", "", "")
    email = render([Channel.INAPP, Channel.EMAIL])
    assert (email.email_text, email.email_html, email.sms) == (everything.email_text, everything.email_html, "")
    sms = render([Channel.SMS])
    assert (sms.sms, sms.email_text) == (everything.sms, "")
    assert everything.email_html and everything.sms
