"""Validators of contracts' own data formats."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_HOURS_RE = re.compile(r"[0-9]{2}-[0-9]{2}(,[0-9]{2}-[0-9]{2})*")


def parse_zone_hours(value: str) -> list[tuple[int, int]]:
    """«07-10,17-21» → [(7, 10), (17, 21)]; an interval may cross midnight («23-07»). ValidationError otherwise."""
    text = (value or "").replace(" ", "")
    if not isinstance(value, str) or not _HOURS_RE.fullmatch(text):
        raise ValidationError(
            _("Укажите часы как «07-10,17-21»: интервалы «ЧЧ-ЧЧ» через запятую, часы от 00 до 24."),
            code="zone_hours_format",
        )
    intervals = []
    for part in text.split(","):
        start, end = (int(h) for h in part.split("-"))
        if start > 23 or end > 24:
            raise ValidationError(
                _("Час «%(part)s» вне суток: часы указываются от 00 до 24."),
                code="zone_hours_range",
                params={"part": part},
            )
        if start == end:
            raise ValidationError(
                _("Интервал «%(part)s» пустой: начало и конец совпадают."),
                code="zone_hours_empty",
                params={"part": part},
            )
        intervals.append((start, end))
    return intervals


def validate_zone_hours(value: str) -> None:
    parse_zone_hours(value)
