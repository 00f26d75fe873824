"""Storing checked files for an appeal: on disk first, rows in the transaction, cleanup on failure."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from appeals.files import MAX_FILES_PER_APPEAL
from appeals.models import Attachment, random_attachment_name
from core.stored_files import atomic_with_file_cleanup, write_checked


def check_files_count(files, *, already: int = 0, field: str | None = None):
    if already + len(files) > MAX_FILES_PER_APPEAL:
        message = _("Можно приложить не больше %(limit)d файлов к обращению.") % {"limit": MAX_FILES_PER_APPEAL}
        raise ValidationError({field: message} if field else message)


def write_files(files, *, now, written) -> list:
    """Put checked files on disk under random dated names, before any row lock is taken."""
    return write_checked(files, storage=_storage(), name_for=lambda: random_attachment_name(now), written=written)


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


def _storage():
    return Attachment._meta.get_field("file").storage


def with_file_cleanup(func):
    """Run func(written) in a transaction; delete files it wrote if the transaction fails."""
    return atomic_with_file_cleanup(_storage(), func)
