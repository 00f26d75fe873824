"""The cabinet now binds personal accounts and takes meter readings: the seeded texts say where.

Surgical and idempotent: the readings page gets the cabinet as its first way to submit (only when its
«Как передать» list still starts as seeded and names no cabinet link yet), and the FAQ answer about binding
an account is replaced only while it is still the seeded text. Whatever editors rewrote stays theirs.
"""

from django.db import migrations

OLD_LIST_START = "## Как передать\n\n- **По телефону"
CABINET_ITEM = (
    "- **В личном кабинете** — в разделе [«Договоры и счётчики»](/contracts/). Один раз привяжите лицевой счёт: "
    "понадобятся его номер и код привязки, оба напечатаны в квитанции. После этого у каждого счётчика появится "
    "кнопка «Передать показания», а рядом — история показаний и график потребления по месяцам.\n"
)

BINDING_QUESTION = "Как привязать лицевой счёт к личному кабинету?"
OLD_BINDING_ANSWER = "Войдите в кабинет и добавьте лицевой счёт: понадобятся его номер и данные из последней квитанции."
NEW_BINDING_ANSWER = (
    "Войдите в кабинет, откройте раздел [«Договоры и счётчики»](/contracts/) и нажмите «Привязать лицевой счёт». "
    "Понадобятся номер лицевого счёта и код привязки — оба напечатаны в квитанции. К одному кабинету можно "
    "привязать несколько лицевых счетов; если кода в квитанции нет, позвоните в контактный центр."
)


def forwards(apps, schema_editor):
    from pages import search_index
    from pages.markup import render_markdown

    Page = apps.get_model("pages", "Page")
    FaqEntry = apps.get_model("pages", "FaqEntry")
    SearchEntry = apps.get_model("pages", "SearchEntry")

    page = Page.objects.filter(key="readings").first()
    if page is not None and OLD_LIST_START in page.body and "/contracts/" not in page.body:
        page.body = page.body.replace(OLD_LIST_START, "## Как передать\n\n" + CABINET_ITEM + "- **По телефону", 1)
        page.body_html = render_markdown(page.body)
        page.save(update_fields=["body", "body_html"])
        search_index.index_page_tree(SearchEntry, Page, page)

    for entry in FaqEntry.objects.filter(question=BINDING_QUESTION, answer=OLD_BINDING_ANSWER):
        entry.answer = NEW_BINDING_ANSWER
        entry.answer_html = render_markdown(NEW_BINDING_ANSWER)
        entry.save(update_fields=["answer", "answer_html"])
        search_index.index_faq(SearchEntry, entry)


class Migration(migrations.Migration):
    dependencies = [("pages", "0003_seed_content")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
