from datetime import UTC, datetime
from pathlib import Path

import pytest

from notifications import events, rendering
from notifications.events import EventType, ReminderPolicySpec
from notifications.models import Channel
from notifications.sms import LocmemSmsBackend

# A fixed clock: a working Wednesday morning in Moscow.
NOW = datetime(2026, 3, 11, 7, 0, tzinfo=UTC)

TEST_EVENTS = [
    EventType(key="test.hello", label="Тестовое событие", template="test_events/hello"),
    EventType(key="test.legal", label="Обязательное событие", template="test_events/legal", legally_required=True),
    EventType(
        key="test.staff",
        label="Событие для сотрудников",
        template="test_events/staff",
        audience=events.STAFF,
        default_channels=(Channel.EMAIL, Channel.INAPP),
    ),
]


TEST_POLICIES = [
    ReminderPolicySpec(key="test.before_due", label="До срока", help_text="Дни до срока", default_values=(3, 1)),
    ReminderPolicySpec(
        key="test.hours", label="Часы", help_text="С и до", default_values=(9, 20), max_value=24, value_count=2
    ),
]


@pytest.fixture(autouse=True)
def test_events(monkeypatch, settings):
    """Events and templates that exist only in these tests, whatever the domain apps register."""
    for event_type in TEST_EVENTS:
        monkeypatch.setitem(events._registry, event_type.key, event_type)
    for spec in TEST_POLICIES:
        monkeypatch.setitem(events._policies, spec.key, spec)
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], Path(__file__).parent / "templates"]}
    ]
    rendering._text_engine.cache_clear()
    yield
    rendering._text_engine.cache_clear()


@pytest.fixture(autouse=True)
def mail_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    settings.PORTAL_COMPANY_NAME = "АО «Тестэнергосбыт»"
    settings.DEFAULT_FROM_EMAIL = "noreply@lk.example.ru"
    settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN = "lk.example.ru"
    settings.NOTIFICATIONS_SITE_URL = "https://lk.example.ru"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 60
    LocmemSmsBackend.outbox = []
