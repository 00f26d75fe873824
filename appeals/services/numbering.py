"""Registration numbers: YYYY-NNNNNN, one gap-free sequence per year."""

from appeals.models import AppealNumberCounter
from core.numbering import next_in_year


def next_number(year: int) -> str:
    """The next registration number of the year, under a row lock on the year's counter."""
    return f"{year:04d}-{next_in_year(AppealNumberCounter, year):06d}"
