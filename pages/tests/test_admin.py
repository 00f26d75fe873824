import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import StaffFactory
from pages.models import Document, News, Page, SearchEntry
from pages.tests.factories import PDF_BYTES, PNG_BYTES, PageFactory

pytestmark = pytest.mark.django_db


def page_form(**overrides):
    data = {
        "parent": "",
        "slug": "novaya",
        "title": "Новая страница",
        "meta_description": "",
        "body": "## Раздел\n\nТекст <script>alert(1)</script>",
        "is_published": "",
        "order": "100",
    }
    data.update(overrides)
    return data


def test_preview_renders_unsaved_form_with_the_public_template_and_saves_nothing(client, editor):
    client.force_login(editor)
    response = client.post("/admin/pages/page/add/preview/", page_form())
    html = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert "Предпросмотр." in html and "не опубликован" in html
    assert '<h1 class="mb-3">Новая страница</h1>' in html
    assert "<h2>Раздел</h2>" in html
    assert "<script>alert" not in html
    assert not Page.objects.filter(slug="novaya").exists()


def test_preview_of_changes_to_a_saved_page_leaves_it_unchanged(client, editor):
    page = PageFactory(slug="est", title="Было", body="Старый текст")
    client.force_login(editor)
    response = client.post(f"/admin/pages/page/{page.pk}/preview/", page_form(slug="est", title="Стало"))
    assert "Стало" in response.content.decode()
    page.refresh_from_db()
    assert page.title == "Было"


def test_preview_of_a_stored_unpublished_page(client, editor):
    page = PageFactory(slug="chernovik", title="Черновик", is_published=False)
    client.force_login(editor)
    assert client.get(f"/info/{page.path}/").status_code == 404
    response = client.get(f"/admin/pages/page/{page.pk}/preview/")
    assert response.status_code == 200
    assert "Черновик" in response.content.decode()


def test_preview_with_form_errors_lists_them(client, editor):
    client.force_login(editor)
    response = client.post("/admin/pages/page/add/preview/", page_form(slug="не латиница", title=""))
    assert response.status_code == 400
    assert "Предпросмотр невозможен" in response.content.decode()


def test_preview_needs_the_permission(client):
    staff = StaffFactory()
    client.force_login(staff)
    assert client.post("/admin/pages/page/add/preview/", page_form()).status_code == 403
    page = PageFactory()
    assert client.get(f"/admin/pages/page/{page.pk}/preview/").status_code == 403


def test_news_preview(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/pages/news/add/preview/",
        {
            "kind": "news",
            "title": "Черновик новости",
            "slug": "ch",
            "published_at_0": "01.12.2026",
            "published_at_1": "10:00",
            "lead": "Анонс",
            "body": "Текст",
            "image_alt": "",
        },
    )
    assert response.status_code == 200
    assert "Черновик новости" in response.content.decode()
    assert not News.objects.filter(slug="ch").exists()


def test_saving_in_the_admin_publishes_into_search(client, editor):
    client.force_login(editor)
    response = client.post("/admin/pages/page/add/", page_form(is_published="on", title="Пломбы"))
    assert response.status_code == 302
    assert SearchEntry.objects.filter(kind="page", title="Пломбы").exists()


def test_service_pages_cannot_be_deleted_or_moved(client, editor):
    client.force_login(editor)
    readings = Page.objects.get(key=Page.Key.READINGS)
    assert client.post(f"/admin/pages/page/{readings.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(f"/admin/pages/page/{readings.pk}/change/", page_form(slug="drugoe", title="Показания"))
    readings.refresh_from_db()
    assert readings.slug == "pokazaniya"
    assert readings.title == "Показания"


def test_news_image_is_checked_by_content_and_renamed(client, editor):
    client.force_login(editor)
    data = {
        "kind": "news",
        "title": "С картинкой",
        "slug": "s-kartinkoy",
        "published_at_0": "01.11.2026",
        "published_at_1": "10:00",
        "is_published": "on",
        "lead": "Анонс",
        "body": "",
        "image_alt": "Схема",
    }
    disguised = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>", "image/png")
    response = client.post("/admin/pages/news/add/", {**data, "image": disguised})
    assert response.status_code == 200
    assert "не является изображением JPEG, PNG или WebP" in response.content.decode()
    assert not News.objects.filter(slug="s-kartinkoy").exists()
    real = SimpleUploadedFile("../../evil.svg", PNG_BYTES, "image/svg+xml")
    assert client.post("/admin/pages/news/add/", {**data, "image": real}).status_code == 302
    news = News.objects.get(slug="s-kartinkoy")
    assert news.image_type == "image/png"
    assert news.image.name.endswith(".png") and "evil" not in news.image.name


def test_document_upload_is_checked_by_content(client, editor):
    client.force_login(editor)
    data = {"title": "Бланк", "category": "forms", "description": "", "effective_date": "", "is_published": "on"}
    fake = SimpleUploadedFile("blank.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post("/admin/pages/document/add/", {**data, "file": fake})
    assert "не является документом PDF" in response.content.decode()
    good = SimpleUploadedFile("blank.exe", PDF_BYTES, "application/octet-stream")
    assert client.post("/admin/pages/document/add/", {**data, "file": good}).status_code == 302
    document = Document.objects.get(title="Бланк")
    assert document.content_type == "application/pdf" and document.file.name.endswith(".pdf")
    assert document.size == len(PDF_BYTES)


def test_change_form_offers_the_preview_button(client, editor):
    page = PageFactory()
    client.force_login(editor)
    html = client.get(f"/admin/pages/page/{page.pk}/change/").content.decode()
    assert f'formaction="/admin/pages/page/{page.pk}/preview/"' in html
    assert 'formaction="/admin/pages/page/add/preview/"' in client.get("/admin/pages/page/add/").content.decode()


def test_office_hours_inline_rejects_duplicate_days_with_a_message(client, editor):
    client.force_login(editor)
    data = {
        "name": "Офис", "address": "Адрес", "phone": "", "email": "", "services": "", "note": "",
        "is_published": "on", "order": "1",
        "hours-TOTAL_FORMS": "2", "hours-INITIAL_FORMS": "0", "hours-MIN_NUM_FORMS": "0", "hours-MAX_NUM_FORMS": "7",
        "hours-0-weekday": "0", "hours-0-opens": "09:00", "hours-0-closes": "18:00",
        "hours-1-weekday": "0", "hours-1-opens": "10:00", "hours-1-closes": "17:00",
        "exceptions-TOTAL_FORMS": "1", "exceptions-INITIAL_FORMS": "0", "exceptions-MIN_NUM_FORMS": "0",
        "exceptions-MAX_NUM_FORMS": "1000", "exceptions-0-date": "01.01.2027", "exceptions-0-is_closed": "on",
    }  # fmt: skip
    response = client.post("/admin/pages/office/add/", data)
    assert response.status_code == 200
    assert "повторяющееся значение" in response.content.decode()
    data["hours-1-weekday"] = "1"
    assert client.post("/admin/pages/office/add/", data).status_code == 302


def test_preview_lists_what_the_sanitiser_removed_and_keeps_the_text_after_it(client, editor):
    client.force_login(editor)
    body = "Начало\n\n<style>p{}\n\nТекст после незакрытого стиля\n\n<p onclick=\"x()\">клик</p>"
    response = client.post("/admin/pages/page/add/preview/", page_form(body=body))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Текст после незакрытого стиля" in html
    assert 'id="preview-removed"' in html
    assert "<code>&lt;style&gt;</code>" in html and "<code>onclick в &lt;p&gt;</code>" in html


def test_news_preview_lists_removed_tags(client, editor):
    client.force_login(editor)
    data = {
        "kind": "news", "title": "Новость", "slug": "novost-x", "published_at_0": "01.12.2026",
        "published_at_1": "10:00", "lead": "Анонс", "body": "До <xmp><b>x</b></xmp> после",
        "outage_addresses": "",
    }  # fmt: skip
    html = client.post("/admin/pages/news/add/preview/", data).content.decode()
    assert "<b>x</b> после" in html
    assert "<code>&lt;xmp&gt;</code>" in html


def test_preview_of_clean_text_lists_nothing(client, editor):
    client.force_login(editor)
    html = client.post("/admin/pages/page/add/preview/", page_form(body="Просто **текст**")).content.decode()
    assert 'id="preview-removed"' not in html
