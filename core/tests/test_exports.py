"""Downloads as CSV: what a spreadsheet opens, and never a customer's text turned into a formula."""

import datetime
from decimal import Decimal

from core.exports import csv_lines


def test_text_that_a_spreadsheet_would_run_is_kept_as_text():
    rows = [
        ["=HYPERLINK(\"http://evil.example\",\"Открыть\")", "+79161112233", "-1+2", "@SUM(A1)", "\tтаб", "обычный"],
        [Decimal("-12.50"), -3, datetime.date(2026, 12, 1), None, "", "Смирнова"],
    ]
    text = "".join(csv_lines(["a", "b", "c", "d", "e", "f"], rows))
    assert text.startswith("\ufeffa;b;c;d;e;f\r\n")
    first, second = text.split("\r\n")[1:3]
    assert first == "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Открыть\"\")\";'+79161112233;'-1+2;'@SUM(A1);'\tтаб;обычный"
    # Numbers and dates are the program's own values: a negative amount stays a number.
    assert second == "-12.50;-3;2026-12-01;;;Смирнова"
