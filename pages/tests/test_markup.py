import pytest

from pages.markup import fill_placeholders, plain_text, render, render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">ссылка</a>',
    "[ссылка](javascript:alert(1))",
    "[ссылка](JaVaScRiPt:alert(1))",
    "[ссылка](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<div style="position:fixed;inset:0">накрыть страницу</div>',
    '<p onclick="alert(1)">клик</p>',
    "<object data=x></object><embed src=x>",
    '<form action="https://evil.example"><input name=p></form>',
    "<base href='https://evil.example/'>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "![x](x\"onerror=\"alert(1))",
]

DANGEROUS = ["<script", "onerror", "onload", "onclick", "javascript:", "data:text", "<iframe", "<style", "style=",
             "<object", "<embed", "<form", "<input", "<base", "<meta", "<svg"]  # fmt: skip


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_output_never_carries_active_content(payload):
    rendered = render_markdown(f"Текст\n\n{payload}\n\nещё текст").lower()
    for fragment in DANGEROUS:
        assert fragment not in rendered, (payload, rendered)


def test_ordinary_markdown_survives_sanitising():
    rendered = render_markdown(
        "## Раздел\n\n**жирный** и *курсив*, [сайт](https://example.ru), [почта](mailto:a@example.ru)\n\n"
        "- раз\n- два\n\n| А | Б |\n|---|---|\n| 1 | 2 |\n"
    )
    assert "<h2>Раздел</h2>" in rendered
    assert "<strong>жирный</strong>" in rendered and "<em>курсив</em>" in rendered
    assert 'href="https://example.ru"' in rendered and 'href="mailto:a@example.ru"' in rendered
    assert 'rel="noopener noreferrer nofollow"' in rendered
    assert "<li>раз</li>" in rendered
    assert "<table>" in rendered and "<td>1</td>" in rendered


def test_an_h1_in_the_body_is_demoted_so_the_page_keeps_one_h1():
    rendered = render_markdown("# Второй заголовок\n\n<h1>ещё</h1>")
    assert "<h1" not in rendered
    assert "<h2>Второй заголовок</h2>" in rendered


def test_plain_text_unescapes_entities_and_drops_tags():
    assert plain_text(render_markdown("**a** &lt; b\n\nc")) == "a < b c"


def test_placeholders_come_from_settings_and_are_escaped(settings):
    settings.PORTAL_SUPPORT_PHONE = "+7 800 <b>1</b>"
    settings.PORTAL_COMPANY_NAME = "АО «Энергосбыт»"
    filled = fill_placeholders(render_markdown("Звоните {телефон}, {компания}"))
    assert "+7 800 &lt;b&gt;1&lt;/b&gt;" in filled
    assert "АО «Энергосбыт»" in filled


# An editor's text never vanishes silently: raw-text elements lose their tags, not what follows them.
KEPT_TEXT = [
    ("До\n\n<style>body{color:red}\n\nТекст после стиля", "Текст после стиля", "<style>"),
    ("До\n\n<script>alert(1)\n\nТекст после скрипта", "Текст после скрипта", "<script>"),
    ("До <STYLE type=text/css>p{} и дальше текст", "и дальше текст", "<style>"),
    ("До <title>Заголовок окна</title> после", "Заголовок окна после", "<title>"),
    ("До <xmp><b>жирный</b></xmp> после", "<b>жирный</b> после", "<xmp>"),
    ("До\n\n<textarea>текст поля\n\nпосле", "после", "<textarea>"),
    ("<plaintext>всё ниже\n\nпосле", "<p>после</p>", "<plaintext>"),
    ("До <iframe>внутри рамки</iframe> после", "внутри рамки", "<iframe>"),
    ("До <noscript>без скриптов</noscript> после", "без скриптов", "<noscript>"),
]


@pytest.mark.parametrize(("source", "kept", "reported"), KEPT_TEXT)
def test_text_after_or_inside_a_raw_text_tag_is_kept_and_the_tag_reported(source, kept, reported):
    rendered = render(source)
    assert kept in rendered.html
    assert "&lt;" not in rendered.html, "no stray escaped tags"
    assert reported in rendered.removed
    for fragment in DANGEROUS:
        assert fragment not in rendered.html.lower()


def test_a_closed_script_or_style_goes_with_its_code_and_is_reported():
    rendered = render("До <script>alert(1)</script> между <style>p{display:none}</style> после")
    assert "alert" not in rendered.html and "display" not in rendered.html
    assert "между" in rendered.html and "после" in rendered.html
    assert rendered.removed == ["<script> с содержимым", "<style> с содержимым"]


def test_a_tag_split_by_another_is_not_reassembled():
    rendered = render("<scr<script>ipt>alert(1)</script>текст")
    assert "<script" not in rendered.html.lower()
    assert "текст" in rendered.html


def test_removed_attributes_links_and_comments_are_reported():
    rendered = render('<p onclick="x()" style="color:red">клик</p> [ссылка](javascript:alert(1)) <!-- заметка -->')
    assert rendered.removed == ["HTML-комментарии", "onclick в <p>", "style в <p>", "ссылка javascript:"]
    assert "клик" in rendered.html and "ссылка" in rendered.html


def test_plain_markdown_and_code_report_nothing():
    rendered = render("## Раздел\n\n**жирно**, `<script>` в коде, [сайт](https://example.ru)\n\n# Заголовок")
    assert rendered.removed == []
    assert "<code>&lt;script&gt;</code>" in rendered.html


@pytest.mark.django_db
def test_saving_through_the_service_renders_and_the_model_alone_does_not():
    from pages import services
    from pages.models import FaqEntry, FaqTopic, News, Page

    page = services.page_save(Page(slug="servis", title="Сервис", body="**жирно**"))
    assert page.body_html == "<p><strong>жирно</strong></p>"
    news = services.news_save(News(title="Н", slug="n", lead="л", body="*к*"))
    assert news.body_html == "<p><em>к</em></p>"
    topic = FaqTopic.objects.create(title="Т", slug="t")
    entry = services.faq_entry_save(FaqEntry(topic=topic, question="В?", answer="О **да**"))
    assert entry.answer_html == "<p>О <strong>да</strong></p>"
    page.body = "другое"
    page.save()
    page.refresh_from_db()
    assert page.body_html == "<p><strong>жирно</strong></p>"


def test_markdown_after_an_unclosed_style_is_still_markdown():
    rendered = render("До\n\n<style>p{}\n\nПосле **жирно**\n\n- пункт")
    assert "<p>После <strong>жирно</strong></p>" in rendered.html
    assert "<li>пункт</li>" in rendered.html
    assert rendered.removed == ["<style>"]


def test_code_about_tags_is_left_alone_when_every_tag_is_closed():
    rendered = render("Не вставляйте `<script>` в текст.\n\nДо <title>окно</title> после")
    assert "<code>&lt;script&gt;</code>" in rendered.html
    assert rendered.removed == ["<title>"]


def test_every_table_scrolls_in_a_named_focusable_region_with_a_hint():
    rendered = fill_placeholders(render_markdown("| А | Б |\n|---|---|\n| 1 | 2 |\n\nтекст\n\n| В |\n|---|\n| 3 |\n"))
    assert rendered.count('<div class="table-scroll" role="region" tabindex="0" aria-label="') == 2
    assert rendered.count('data-hint="Прокрутите таблицу вправо →"') == 2
    assert rendered.count('aria-label="Таблица, прокручивается по горизонтали"') == 2
    assert rendered.index("table-scroll") < rendered.index("<table>") < rendered.index("</table></div></div>")


def test_an_editor_cannot_write_the_scroll_region_themselves():
    rendered = render_markdown('<div role="region" tabindex="0" onclick="x()">текст</div>')
    assert "<div" not in rendered and "tabindex" not in rendered
