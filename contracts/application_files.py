"""What a contract application accepts as files; the checking itself is `core.uploads`, shared by every domain."""

from django.utils.translation import gettext_lazy as _

from core.uploads import JPEG, PDF, PNG, UploadPolicy

MAX_DOCUMENTS_PER_APPLICATION = 30

# The customer's documents: scans and photos of passports, deeds, acts.
APPLICATION_DOCUMENTS = UploadPolicy(
    types=frozenset({PDF, JPEG, PNG}),
    max_size=10 * 1024 * 1024,
    max_count=5,
    description=_("документом PDF или изображением JPEG, PNG"),
)

# Staff's draft and signed contracts: PDF only, stored and sent under the application's number.
CONTRACT_PDF = UploadPolicy(
    types=frozenset({PDF}),
    max_size=20 * 1024 * 1024,
    description=_("документом PDF"),
    keep_name=False,
)
