"""The information a visitor needs from the first day: pages, FAQ, one example office, one news item.

Contacts in the texts are placeholders ({телефон}, {почта}, {компания}) filled
from settings when shown. No tariff values are seeded: prices come from the
regional regulator's decision and are entered by the content editors, and until
then the tariffs page says honestly that they are being published.
"""

import datetime
from pathlib import Path

from django.db import migrations
from django.utils import timezone

SEED = Path(__file__).resolve().parent.parent / "seed"

PAGES = [
    # key, slug, title, meta description, seed file, order
    ("readings", "pokazaniya", "Как передать показания счётчика",
     "Когда и как передать показания, что записывать для одно-, двух- и трёхзонных счётчиков.", "pokazaniya.md", 10),
    ("appeals", "obrashcheniya", "Как подать обращение и в какие сроки мы отвечаем",
     "Способы подать вопрос, заявление, жалобу или претензию и установленные законом сроки ответа.",
     "obrashcheniya.md", 20),
    ("contract", "dogovor", "Как заключить договор энергоснабжения",
     "Какие документы нужны гражданам и организациям и в какой срок заключается договор.", "dogovor.md", 30),
    ("payment", "oplata", "Способы и сроки оплаты",
     "Как и до какого числа оплатить электроэнергию, когда учитывается платёж, что будет при просрочке.",
     "oplata.md", 40),
    ("standard", "standart-obsluzhivaniya", "Стандарт обслуживания клиентов",
     "Что мы обещаем каждому клиенту: сроки ответов, онлайн-договоры, информирование, контроль качества.",
     "standart.md", 50),
    ("privacy", "personalnye-dannye", "Политика обработки персональных данных",
     "Какие персональные данные мы обрабатываем, зачем, как храним и как воспользоваться своими правами.",
     "personalnye_dannye.md", 60),
    ("contacts", "kontakty", "Контакты", "Телефон контактного центра, электронная почта и офисы обслуживания.",
     "kontakty.md", 70),
]  # fmt: skip

FAQ = [
    ("pokazaniya", "Показания и приборы учёта", "metering", [
        ("До какого числа передавать показания?",
         "Период приёма показаний указан в квитанции и в личном кабинете. Показания, переданные позже, "
         "учитываются в следующем месяце."),
        ("Нужно ли передавать цифры после запятой?",
         "Нет. Передавайте только целые киловатт-часы — цифры до запятой."),
        ("Я ошибся при передаче показаний. Что делать?",
         "Если период приёма ещё идёт, передайте показания заново — учитываются последние. Если период закончился, "
         "подайте обращение на тему «приборы учёта и показания» и приложите фотографию счётчика."),
        ("Кто и когда должен поверять счётчик?",
         "Срок поверки указан в паспорте прибора учёта. Подайте заявление, если срок подходит или счётчик "
         "неисправен: мы подскажем порядок и сроки. Заявку на проверку прибора учёта рассматривают в течение 10 дней."),
    ]),
    ("oplata", "Начисления и оплата", "billing", [
        ("До какого числа нужно оплатить квитанцию?",
         "До 10-го числа месяца, следующего за расчётным, если в договоре не установлен другой срок."),
        ("Почему начисление больше обычного?",
         "Чаще всего причина — расчёт по среднему потреблению, когда показания не переданы, или сезонный рост "
         "расхода. Сверьте показания в квитанции с показаниями счётчика. Если они расходятся, подайте обращение: "
         "жалобу на начисление мы рассматриваем в течение 3 рабочих дней."),
        ("Я оплатил, но платёж не виден. Что делать?",
         "Платёж обычно поступает за один-три рабочих дня. Если прошло больше недели, подайте обращение "
         "на тему «начисления и оплата» и приложите чек."),
    ]),
    ("dogovor", "Договор энергоснабжения", "contract", [
        ("Нужно ли гражданину заключать письменный договор?",
         "Не всегда: с гражданином договор считается заключённым с момента первого фактического подключения "
         "к сети. Письменный договор оформляют, например, при смене собственника или переходе на многозонный учёт."),
        ("Сколько ждать договор после подачи заявления?",
         "Если заявление подано онлайн со всеми документами, подписанный договор появится в личном кабинете "
         "не позднее 15 рабочих дней."),
    ]),
    ("elektrosnabzhenie", "Перерывы в электроснабжении", "power_quality", [
        ("Где узнать о плановых отключениях?",
         "Плановые отключения публикуются в разделе «Новости» с адресами и временем работ."),
        ("Свет мигает или напряжение слишком низкое. Куда сообщить?",
         "Позвоните в контактный центр по номеру {телефон} или подайте обращение на тему «качество электроэнергии "
         "и перерывы в подаче». Время проверки согласуют с вами — не позднее 2 часов с момента сообщения."),
    ]),
    ("kabinet", "Личный кабинет", "account", [
        ("Как привязать лицевой счёт к личному кабинету?",
         "Войдите в кабинет и добавьте лицевой счёт: понадобятся его номер и данные из последней квитанции."),
        ("Я не помню пароль. Как войти?",
         "На странице входа выберите «Забыли пароль?» — ссылка для смены пароля придёт на вашу почту. "
         "После пяти неудачных попыток вход временно блокируется для защиты учётной записи."),
    ]),
]  # fmt: skip


def seed(apps, schema_editor):
    from pages import search_index
    from pages.markup import render_markdown

    Page = apps.get_model("pages", "Page")
    News = apps.get_model("pages", "News")
    FaqTopic = apps.get_model("pages", "FaqTopic")
    FaqEntry = apps.get_model("pages", "FaqEntry")
    Office = apps.get_model("pages", "Office")
    OfficeHours = apps.get_model("pages", "OfficeHours")
    OfficeException = apps.get_model("pages", "OfficeException")
    Document = apps.get_model("pages", "Document")
    SearchEntry = apps.get_model("pages", "SearchEntry")

    for key, slug, title, description, filename, order in PAGES:
        body = (SEED / filename).read_text(encoding="utf-8")
        Page.objects.get_or_create(
            key=key,
            defaults={
                "slug": slug, "path": slug, "title": title, "meta_description": description, "body": body,
                "body_html": render_markdown(body), "is_published": True, "order": order,
            },
        )  # fmt: skip

    for order, (slug, title, appeal_topic, entries) in enumerate(FAQ, start=1):
        topic, _ = FaqTopic.objects.get_or_create(
            slug=slug, defaults={"title": title, "appeal_topic": appeal_topic, "order": order * 10}
        )
        for position, (question, answer) in enumerate(entries, start=1):
            FaqEntry.objects.get_or_create(
                topic=topic,
                question=question,
                defaults={"answer": answer, "answer_html": render_markdown(answer), "order": position * 10},
            )

    if not Office.objects.exists():
        office = Office.objects.create(
            name="Центральный офис обслуживания",
            address="г. Энск, ул. Образцовая, д. 1 (пример: редакторы заменят адрес настоящим)",
            services="Приём показаний\nЗаключение и изменение договоров\nПриём обращений и документов\n"
            "Справки о начислениях и оплате\nПомощь с личным кабинетом",
            note="Телефон офиса — номер контактного центра.",
            order=10,
        )
        for weekday in range(4):
            OfficeHours.objects.create(
                office=office, weekday=weekday, opens=datetime.time(8, 30), closes=datetime.time(17, 30),
                break_starts=datetime.time(12, 30), break_ends=datetime.time(13, 15),
            )  # fmt: skip
        OfficeHours.objects.create(
            office=office, weekday=4, opens=datetime.time(8, 30), closes=datetime.time(16, 15),
            break_starts=datetime.time(12, 30), break_ends=datetime.time(13, 15),
        )  # fmt: skip
        # 2026: the day off of Sunday 4 January moved to Thursday 31 December; 30 December is a pre-holiday day.
        OfficeException.objects.create(
            office=office, date=datetime.date(2026, 12, 30), is_closed=False,
            opens=datetime.time(8, 30), closes=datetime.time(16, 30), reason="предпраздничный день",
        )  # fmt: skip
        OfficeException.objects.create(
            office=office, date=datetime.date(2026, 12, 31), reason="перенесённый выходной день"
        )
        for day in (1, 2, 5, 6, 7, 8):  # 1–8 January 2027 on weekdays: New Year holidays and Christmas
            OfficeException.objects.create(
                office=office, date=datetime.date(2027, 1, day), reason="новогодние каникулы"
            )

    if not News.objects.exists():
        body = (
            "В личном кабинете можно подавать обращения, прикладывать к ним документы и следить за сроками ответа "
            "и перепиской, а организации могут работать в кабинете несколькими сотрудниками.\n\n"
            "Зарегистрироваться можно с любой электронной почтой. Вопросы о работе кабинета задавайте "
            "в контактный центр: {телефон}."
        )
        News.objects.create(
            title="Открыт личный кабинет клиента",
            slug="otkryt-lichnyj-kabinet",
            lead="Обращения теперь можно подать и отслеживать онлайн, без визита в офис.",
            body=body,
            body_html=render_markdown(body),
            published_at=timezone.now(),
            is_published=True,
        )

    search_index.rebuild(SearchEntry, Page, News, FaqEntry, Document)


def unseed(apps, schema_editor):
    # Editors may have changed the content since; leave it in place.
    pass


class Migration(migrations.Migration):
    dependencies = [("pages", "0002_search_vector_gin_index")]

    operations = [migrations.RunPython(seed, unseed)]
