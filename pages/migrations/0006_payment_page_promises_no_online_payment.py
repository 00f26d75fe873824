"""The payment page no longer promises paying online: whether the cabinet takes payments depends on the
deployment (billing.payments.provider_configured), so the page's actions offer it only when it does.

Surgical and idempotent, like 0005: the seeded list item about the cabinet's «Оплатить» button goes, and the
seeded sentence about the amount due links to the cabinet — only while they still read as seeded (by 0003 or
0005). Whatever editors rewrote stays theirs.
"""

from django.db import migrations

CABINET_ITEM = (
    "- **В личном кабинете** — в разделе [«Начисления и оплата»](/billing/): сумма к оплате на дату расчёта, "
    "начисления и платежи за 24 месяца, квитанции для скачивания и кнопка «Оплатить» — оплата онлайн через "
    "платёжный сервис. Платёж учитывается на лицевом счёте, когда его проведёт биллинг.\n"
)
OLD_SENTENCE = (
    "Сумма к оплате и реквизиты указаны в квитанции; сумма к оплате на дату, начисления и сами квитанции есть "
    "и в личном кабинете."
)
NEW_SENTENCE = (
    "Сумма к оплате и реквизиты указаны в квитанции; сумма к оплате на дату, начисления и сами квитанции есть "
    "и [в личном кабинете](/billing/), в разделе «Начисления и оплата»."
)


def forwards(apps, schema_editor):
    from pages import search_index
    from pages.markup import render_markdown

    Page = apps.get_model("pages", "Page")
    SearchEntry = apps.get_model("pages", "SearchEntry")
    page = Page.objects.filter(key="payment").first()
    if page is None or CABINET_ITEM not in page.body:
        return
    body = page.body.replace(CABINET_ITEM, "", 1)
    if OLD_SENTENCE in body:
        body = body.replace(OLD_SENTENCE, NEW_SENTENCE, 1)
    page.body = body
    page.body_html = render_markdown(page.body)
    page.save(update_fields=["body", "body_html"])
    search_index.index_page_tree(SearchEntry, Page, page)


class Migration(migrations.Migration):
    dependencies = [("pages", "0005_payment_in_the_cabinet")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
