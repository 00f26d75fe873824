"""Staff free-text search over an appeal's applicant, subject and text.

On PostgreSQL the expression below has a trigram GIN index (migration 0002), so
`LIKE '%term%'` over a million appeals is an index scan, not a table scan; the
query must use exactly this expression for the index to apply.
"""

from django.db import connection
from django.db.models import Q, TextField
from django.db.models.expressions import RawSQL

SEARCH_EXPRESSION = "UPPER(contact_name::text) || ' ' || UPPER(subject::text) || ' ' || UPPER(text::text)"


def text_match(queryset, term: str, *, or_organisation_ids=()):
    """Appeals whose applicant, subject or text contains `term` (any case), or of the given organisations."""
    if connection.vendor == "postgresql":
        # A constant expression; the term goes in as a parameter of the LIKE.
        queryset = queryset.alias(_search=RawSQL(f"({SEARCH_EXPRESSION})", [], output_field=TextField()))  # noqa: S611
        condition = Q(_search__contains=term.upper())
    else:
        # SQLite's UPPER is ASCII-only; icontains there is good enough for development.
        condition = Q(contact_name__icontains=term) | Q(subject__icontains=term) | Q(text__icontains=term)
    if or_organisation_ids:
        condition |= Q(organisation_id__in=list(or_organisation_ids))
    return queryset.filter(condition)
