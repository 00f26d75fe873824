import html
import re


def field_errors(response, field: str) -> str:
    """The text of the form group that crispy renders for `field`, unescaped: its errors sit there."""
    content = response.content.decode()
    match = re.search(rf'id="div_id_{field}"(.*?)(?=id="div_id_|</fieldset>|</form>)', content, re.S)
    assert match, f"no form group for {field}"
    block = match.group(1)
    assert "invalid-feedback" in block, f"no error shown next to {field}"
    return html.unescape(re.sub(r"<[^>]+>", " ", block))
