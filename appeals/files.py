"""What an appeal accepts as files. The checking itself is `core.uploads`, shared with every domain."""

from django.utils.translation import gettext_lazy as _

from core.uploads import DOCX, JPEG, PDF, PNG, XLSX, CheckedFile, UploadPolicy, clean_file_name

# Re-exported for the appeal code that names them from here.
__all__ = [
    "APPEAL_FILES", "MAX_FILES_PER_APPEAL", "MAX_FILE_SIZE", "PDF", "CheckedFile", "check_file", "clean_file_name",
]  # fmt: skip

MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_FILES_PER_APPEAL = 5

APPEAL_FILES = UploadPolicy(
    types=frozenset({PDF, JPEG, PNG, DOCX, XLSX}),
    max_size=MAX_FILE_SIZE,
    max_count=MAX_FILES_PER_APPEAL,
    description=_("документом PDF, DOCX, XLSX или изображением JPEG, PNG"),
)
check_file = APPEAL_FILES.check
