"""What editors may upload to the public pages. The checking itself is `core.uploads`.

Editors' file names are never kept: a file is stored under a random name with
the extension its content shows, so the name they had does not matter.
"""

from django.utils.translation import gettext_lazy as _

from core.uploads import DOCX, JPEG, ODS, ODT, PDF, PNG, RTF, WEBP, XLSX, UploadPolicy

NEWS_IMAGE = UploadPolicy(
    types=frozenset({JPEG, PNG, WEBP}),
    max_size=5 * 1024 * 1024,
    description=_("изображением JPEG, PNG или WebP"),
    keep_name=False,
)
DOCUMENT_FILE = UploadPolicy(
    types=frozenset({PDF, DOCX, XLSX, ODT, ODS, RTF}),
    max_size=30 * 1024 * 1024,
    description=_("документом PDF, DOCX, XLSX, ODT, ODS или RTF"),
    keep_name=False,
)
