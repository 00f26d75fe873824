"""Staff search in the queue: by number, contract or account number, INN, email, and free text
over the applicant, subject and text.

On PostgreSQL the expression below has a trigram GIN index (migration 0002), so
`LIKE '%term%'` over a million appeals is an index scan, not a table scan; the
query must use exactly this expression for the index to apply.
"""

import re
from datetime import date

from django.db import connection
from django.db.models import Q, TextField
from django.db.models.expressions import RawSQL

from accounts.models import Organisation
from appeals.models import NUMBER_PATTERN
from contracts.models import Contract

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


def staff_search(queryset, term: str, *, today: date):
    """The queue's search box: each kind of term through the index that answers it."""
    term = term.strip()
    if not term:
        return queryset
    if re.fullmatch(NUMBER_PATTERN, term):
        return queryset.filter(number=term)
    if term.isdigit() and len(term) <= 6:
        # "123" is most likely this or a recent year's 2026-000123: exact numbers, through the unique index.
        return queryset.filter(number__in=[f"{y}-{int(term):06d}" for y in range(today.year - 5, today.year + 1)])
    # A contract or personal account number (a resident's is 10-12 digits, like an ИНН): its appeals,
    # and for digits also the appeals of the organisation with that ИНН. Ids first, so the appeal
    # filter is a BitmapOr of two index scans.
    contract_ids = list(Contract.objects.filter(number=term).values_list("pk", flat=True))
    if term.isdigit() and len(term) in (10, 12):
        organisation_ids = list(Organisation.objects.filter(inn=term).values_list("pk", flat=True)[:200])
        return queryset.filter(Q(organisation_id__in=organisation_ids) | Q(contract_id__in=contract_ids))
    if contract_ids:
        return queryset.filter(contract_id__in=contract_ids)
    if "@" in term:
        return queryset.filter(contact_email=term.lower())
    # Organisations first (a small table), so the appeal filter stays two index scans.
    organisation_ids = list(Organisation.objects.filter(name__icontains=term).values_list("pk", flat=True)[:200])
    return text_match(queryset, term, or_organisation_ids=organisation_ids)
