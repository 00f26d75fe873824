"""The cabinet now shows the amount due and takes payments: the payment page says so.

Surgical and idempotent, like 0004: the seeded sentence about the amount due gains the cabinet, and the list of
ways to pay gets the cabinet first — only while the page still reads as seeded and names no /billing/ link.
Whatever editors rewrote stays theirs.
"""

from django.db import migrations

OLD_SENTENCE = "Сумма к оплате и реквизиты указаны в квитанции."
NEW_SENTENCE = "Сумма к оплате и реквизиты указаны в квитанции; сумма к оплате на дату, начисления и сами квитанции есть и в личном кабинете."
LIST_START = "## Способы оплаты\n\n"
CABINET_ITEM = "- **В личном кабинете** — в разделе [«Начисления и оплата»](/billing/): сумма к оплате на дату расчёта, начисления и платежи за 24 месяца, квитанции для скачивания и кнопка «Оплатить» — оплата онлайн через платёжный сервис. Платёж учитывается на лицевом счёте, когда его проведёт биллинг.\n"


def forwards(apps, schema_editor):
    from pages import search_index
    from pages.markup import render_markdown

    Page = apps.get_model("pages", "Page")
    SearchEntry = apps.get_model("pages", "SearchEntry")
    page = Page.objects.filter(key="payment").first()
    if page is None or "/billing/" in page.body or OLD_SENTENCE not in page.body or LIST_START not in page.body:
        return
    page.body = page.body.replace(OLD_SENTENCE, NEW_SENTENCE, 1).replace(LIST_START, LIST_START + CABINET_ITEM, 1)
    page.body_html = render_markdown(page.body)
    page.save(update_fields=["body", "body_html"])
    search_index.index_page_tree(SearchEntry, Page, page)


class Migration(migrations.Migration):
    dependencies = [("pages", "0004_readings_and_account_binding_in_the_cabinet")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
