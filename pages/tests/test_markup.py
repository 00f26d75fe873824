import pytest

from pages.markup import fill_placeholders, plain_text, render_markdown

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
