"""The public pages that promise readings and accounts in the cabinet point to where they now are."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from pages.models import FaqEntry, Page

pytestmark = pytest.mark.django_db

migration = importlib.import_module("pages.migrations.0004_readings_and_account_binding_in_the_cabinet")


def test_the_readings_page_names_the_cabinet_first(client):
    content = client.get(reverse("pages:page", kwargs={"path": "pokazaniya"})).content.decode()
    assert 'href="/contracts/"' in content and "Договоры и счётчики" in content
    assert content.index("В личном кабинете") < content.index("По телефону контактного центра")


def test_the_binding_answer_says_where_and_what_is_needed(client):
    content = client.get(reverse("pages:faq")).content.decode()
    assert "код привязки" in content and 'href="/contracts/"' in content


def test_the_migration_edits_the_seeded_texts_only_and_once():
    page = Page.objects.get(key="readings")
    page.body = page.body.replace(migration.CABINET_ITEM, "")
    page.save()
    entry = FaqEntry.objects.get(question=migration.BINDING_QUESTION)
    entry.answer = "Редактор переписал ответ."
    entry.save()

    migration.forwards(apps, None)
    migration.forwards(apps, None)
    page.refresh_from_db()
    entry.refresh_from_db()
    assert page.body.count("/contracts/") == 1 and "/contracts/" in page.body_html
    assert entry.answer == "Редактор переписал ответ."
