"""Importing the billing system's contracts, supply points and meters (CSV or XLSX, one entity per file).

`import_billing_file(fileobj, entity=None, dry_run=False)` returns an `ImportReport`; the column layouts
are in `columns.LAYOUTS` (and the README). `manage.py import_billing` and the admin's import page are its
two interfaces.
"""

from .columns import ENTITY_LABELS, LAYOUTS, register_layout
from .report import CREATED, REFUSED, UNCHANGED, UPDATED, ImportReport, RowResult
from .service import import_billing_file, register_importer
from .tables import MAX_FILE_BYTES, FileRefused

__all__ = [
    "CREATED",
    "ENTITY_LABELS",
    "LAYOUTS",
    "MAX_FILE_BYTES",
    "REFUSED",
    "UNCHANGED",
    "UPDATED",
    "FileRefused",
    "ImportReport",
    "RowResult",
    "import_billing_file",
    "register_importer",
    "register_layout",
]
