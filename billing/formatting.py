"""Numbers for the money pages, formatted once in Python: a 24-month page has a few hundred of them, and the
template filters (floatformat, date, filesizeformat) cost more than the page's SQL. The active language's
separators (ru: «1 741,20» with a no-break space; en: «1,741.20»), read once per page."""

from decimal import Decimal

from django.template.defaultfilters import filesizeformat
from django.utils.formats import get_format


class Formatter:
    def __init__(self):
        self.decimal = get_format("DECIMAL_SEPARATOR")
        self.thousands = get_format("THOUSAND_SEPARATOR")
        if self.thousands == " ":
            self.thousands = "\xa0"

    def _swap(self, text: str) -> str:
        return text.replace(",", "\0").replace(".", self.decimal).replace("\0", self.thousands)

    def money(self, value: Decimal | None) -> str:
        return "" if value is None else self._swap(f"{value:,.2f}")

    def quantity(self, value: Decimal | None, places: int = 3) -> str:
        """Up to `places` decimals, trailing zeros dropped (180, 95,5)."""
        if value is None:
            return ""
        text = f"{value:,.{places}f}".rstrip("0").rstrip(".") if places else f"{value:,.0f}"
        return self._swap(text)

    @staticmethod
    def size(value: int) -> str:
        return filesizeformat(value)
