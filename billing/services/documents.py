"""An organisation's documents of a period as one ZIP archive, each under its contract's number."""

import datetime
import tempfile
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from billing import selectors

# The most documents one archive holds, and the longest period it covers (the months the cabinet shows): a bigger
# request is asked to narrow the period.
ARCHIVE_MAX_DOCUMENTS = 5000
ARCHIVE_MAX_MONTHS = selectors.MONTHS


@dataclass(frozen=True)
class Archive:
    file: object  # an open temporary file at its start; the response closes it
    filename: str


def organisation_documents_archive(user, organisation_id, *, first: datetime.date, last: datetime.date) -> Archive:
    """The organisation's documents from month `first` to month `last` (both included) as one ZIP, written to a
    temporary file (not memory). ValidationError (a Russian message) for an empty, reversed or too long period;
    Http404 for an organisation whose finances the user does not see."""
    if last < first:
        raise ValidationError(_("Последний месяц раньше первого."), code="period")
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months > ARCHIVE_MAX_MONTHS:
        raise ValidationError(
            _("Архив собирается не больше чем за %(n)d мес.: выберите период короче.") % {"n": ARCHIVE_MAX_MONTHS},
            code="too_long",
        )
    _organisation, documents = selectors.organisation_documents(user, organisation_id, first=first, last=last)
    documents = list(documents[: ARCHIVE_MAX_DOCUMENTS + 1])
    if len(documents) > ARCHIVE_MAX_DOCUMENTS:
        raise ValidationError(
            _("Документов за этот период больше %(n)d: выберите период короче.") % {"n": ARCHIVE_MAX_DOCUMENTS},
            code="too_many",
        )
    if not documents:
        raise ValidationError(_("За этот период документов нет."), code="empty")
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - the caller's response closes it
    used: set[str] = set()
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        for document in documents:
            folder = document.contract.number.replace("/", "-")
            name = f"{folder}/{document.download_name}"
            if name in used:
                name = f"{folder}/{document.pk}-{document.download_name}"
            used.add(name)
            try:
                with document.file.open("rb") as handle:
                    archive.writestr(name, handle.read())
            except FileNotFoundError:
                continue
    spool.seek(0)
    filename = _("документы %(first)s–%(last)s.zip") % {"first": f"{first:%m.%Y}", "last": f"{last:%m.%Y}"}
    return Archive(spool, filename)
