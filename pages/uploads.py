"""Checks for files editors upload: the content decides, never the name or the browser's type."""

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# MIME type -> extension the file is stored and served with.
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/rtf": "rtf",
}
IMAGE_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_MAX_BYTES = 30 * 1024 * 1024


def sniff(uploaded, allowed: dict[str, str], max_bytes: int, kind_label: str) -> str:
    """Return the MIME type the file's bytes show, or raise a Russian ValidationError."""
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("Файл слишком большой: не больше %(limit)s.") % {"limit": filesizeformat(max_bytes)}, code="too_big"
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    guessed = filetype.guess(head)
    if guessed is None or guessed.mime not in allowed:
        raise ValidationError(
            _("Файл не похож на %(kind)s. Допустимые форматы: %(formats)s.")
            % {"kind": kind_label, "formats": ", ".join(sorted(set(allowed.values())))},
            code="bad_type",
        )
    return guessed.mime


def image_type(uploaded) -> str:
    return sniff(uploaded, IMAGE_TYPES, IMAGE_MAX_BYTES, _("изображение"))


def document_type(uploaded) -> str:
    return sniff(uploaded, DOCUMENT_TYPES, DOCUMENT_MAX_BYTES, _("документ"))
