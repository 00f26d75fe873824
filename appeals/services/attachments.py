"""Storing checked files for an appeal: on disk first, rows in the transaction, cleanup on failure."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from appeals.files import MAX_FILES_PER_APPEAL
from appeals.models import Attachment, random_attachment_name

logger = logging.getLogger(__name__)


def check_files_count(files, *, already: int = 0, field: str | None = None):
    if already + len(files) > MAX_FILES_PER_APPEAL:
        message = _("Можно приложить не больше %(limit)d файлов к обращению.") % {"limit": MAX_FILES_PER_APPEAL}
        raise ValidationError({field: message} if field else message)


def write_files(files, *, now, written) -> list:
    """Put checked files on disk under random names, before any row lock is taken, so slow
    disks never hold up other filings; `written` collects the names for cleanup on failure."""
    storage = Attachment._meta.get_field("file").storage
    stored = []
    for checked in files:
        checked.upload.seek(0)
        name = storage.save(random_attachment_name(now), checked.upload)
        written.append(name)
        stored.append((checked, name))
    return stored


def attach(appeal, stored, *, purpose, uploaded_by, now, message=None):
    Attachment.objects.bulk_create([
        Attachment(
            appeal=appeal,
            message=message,
            purpose=purpose,
            file=name,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=uploaded_by,
            created_at=now,
        )
        for checked, name in stored
    ])


def _delete_files(names):
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # pragma: no cover - logged, the row is gone anyway
            logger.exception("could not delete orphaned appeal file %s", name)


def with_file_cleanup(func):
    """Run func(written) in a transaction; delete files it wrote if the transaction fails."""
    written = []
    try:
        with transaction.atomic():
            return func(written)
    except BaseException:
        _delete_files(written)
        raise
