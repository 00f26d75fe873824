import re

import pytest

from appeals.models import Appeal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_visitor_finds_the_readings_page_by_search_and_asks_a_question(live_server, page, seeded_database):
    page.goto(live_server.url + "/")
    page.get_by_label("Поиск по сайту").fill("показаний")
    page.get_by_role("button", name="Найти").click()

    page.get_by_role("link", name="Как передать показания счётчика").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Как передать показания счётчика"
    assert page.get_by_role("heading", name="Что записывать").is_visible()

    page.get_by_role("contentinfo").get_by_role("link", name="Контакты").click()
    page.get_by_label("Как к вам обращаться").fill("Пётр Сидоров")
    page.get_by_label("Электронная почта").fill("petr@example.ru")
    page.get_by_label("Тема").select_option("metering")
    page.get_by_label("Кратко, о чём вопрос").fill("Двухзонный счётчик")
    page.get_by_label("Ваш вопрос").fill("Какие показания передавать для ночной зоны?")
    page.get_by_label(re.compile("согласен")).check()
    page.get_by_role("button", name="Отправить вопрос").click()

    status = page.get_by_role("status").filter(has_text="Вопрос зарегистрирован")
    number = re.search(r"\d{4}-\d{6}", status.inner_text()).group(0)
    appeal = Appeal.objects.get(number=number)
    assert appeal.channel == Appeal.Channel.SITE and appeal.contact_email == "petr@example.ru"

    page.get_by_role("link", name="Узнать статус заданного вопроса").click()
    page.get_by_label("Номер обращения").fill(number)
    page.get_by_label("Электронная почта, указанная в обращении").fill("petr@example.ru")
    page.get_by_role("button", name="Проверить").click()
    assert page.get_by_role("heading", name=f"Обращение № {number}").is_visible()


def test_deadline_table_scrolls_inside_its_region_on_a_phone(live_server, browser, seeded_database):
    context = browser.new_context(locale="ru-RU", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + "/info/obrashcheniya/")

    region = page.get_by_role("region", name="Таблица, прокручивается по горизонтали").first
    assert region.locator("table").get_by_text("Ответ на обращение").is_visible()
    # The page itself does not scroll sideways; the table's region does, and says so.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    hint = region.evaluate("el => getComputedStyle(el.parentElement, '::after').content")
    assert "Прокрутите таблицу вправо" in hint
    # From the keyboard: the region takes focus and the arrow key scrolls it.
    region.focus()
    page.keyboard.press("ArrowRight")
    assert region.evaluate("el => el === document.activeElement")
    for _ in range(40):  # the browser may scroll smoothly: poll (the portal's CSP forbids wait_for_function's eval)
        if region.evaluate("el => el.scrollLeft") > 0:
            break
        page.wait_for_timeout(50)
    assert region.evaluate("el => el.scrollLeft") > 0
    context.close()
