"""Checked uploads: one checker for every file a person or an editor uploads.

The content decides, never the name or the browser's type: PDF, JPEG, PNG,
WebP and RTF are recognised by their signature (the `filetype` package); DOCX,
XLSX, ODT and ODS are ZIP containers, accepted only when the ZIP is a real
package of that kind without macros. A file that is two things at once (an
image or a PDF that is also a ZIP archive, or carries an HTML page in its head)
is refused.

Each use declares an `UploadPolicy` (allowed types, size, count, whether the
uploader's name is kept) and calls `policy.check_many(...)`; files are stored
under `random_stored_name(...)` in a `PrivateFileStorage` that has no URLs, so
they are served only by views that check access.
"""

import re
import secrets
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import filetype
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
RTF = "application/rtf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

# Each type's label for messages and its extensions; the first one is the stored file's.
FORMATS = {
    PDF: ("PDF", ("pdf",)),
    JPEG: ("JPEG", ("jpg", "jpeg")),
    PNG: ("PNG", ("png",)),
    WEBP: ("WebP", ("webp",)),
    RTF: ("RTF", ("rtf",)),
    DOCX: ("DOCX", ("docx",)),
    XLSX: ("XLSX", ("xlsx",)),
    ODT: ("ODT", ("odt",)),
    ODS: ("ODS", ("ods",)),
}
_SIGNATURE_TYPES = {PDF, JPEG, PNG, WEBP, RTF}

# The main part of each OOXML package, as declared in [Content_Types].xml.
_OOXML_MAIN = {
    DOCX: ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}
# A zip bomb guard: an office document from a customer is far smaller unpacked.
_ZIP_MAX_UNPACKED = 200 * 1024 * 1024
_ZIP_MAX_ENTRIES = 5000
# Macros: VBA in OOXML, Basic and scripts in OpenDocument.
_MACRO_PARTS = re.compile(r"(^|/)vbaproject\.bin$|^basic/|^scripts/", re.IGNORECASE)
# What a browser that ignores the declared type would take for a page, in a file's first bytes.
_HTML_MARKERS = (b"<html", b"<script", b"<!doctype html", b"<svg", b"<iframe", b"<body", b"<head")
_SNIFF_BYTES = 8192

MAX_NAME_LENGTH = 150
# Extensions that run code somewhere, anywhere in the name ("act.pdf.exe", "x.exe.pdf").
_DANGEROUS_EXTENSIONS = {
    "exe", "com", "bat", "cmd", "scr", "pif", "msi", "msp", "dll", "cpl", "jar", "js", "jse", "vbs", "vbe",
    "wsf", "wsh", "ps1", "psm1", "sh", "bash", "php", "phtml", "py", "pl", "cgi", "asp", "aspx", "jsp",
    "hta", "html", "htm", "xhtml", "svg", "lnk", "reg", "docm", "xlsm", "dotm", "xltm", "iso", "apk",
}  # fmt: skip
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class CheckedFile:
    upload: object  # Django UploadedFile
    name: str  # the name to show: the uploader's (cleaned) when the policy keeps it
    content_type: str
    size: int

    @property
    def extension(self) -> str:
        """The extension the content shows ("pdf"), for a stored name."""
        return FORMATS[self.content_type][1][0]


@dataclass(frozen=True)
class UploadPolicy:
    """What one use accepts: appeal files, a news image, a contract application's documents.

    `description` completes «Файл «…» не является …» (instrumental case), e.g.
    «документом PDF или изображением JPEG». With `keep_name` the uploader's
    name is kept and shown, so it must be safe and its extension must match the
    content; without it (editors' files, stored under a random name with the
    content's extension) the name is ignored.
    """

    types: frozenset[str]
    max_size: int
    description: str
    max_count: int = 1
    keep_name: bool = True
    formats: str = field(init=False)

    def __post_init__(self):
        unknown = set(self.types) - FORMATS.keys()
        if unknown or not self.types:
            raise ValueError(f"unknown or no upload types: {sorted(unknown)}")
        object.__setattr__(self, "types", frozenset(self.types))
        object.__setattr__(self, "formats", ", ".join(FORMATS[t][0] for t in FORMATS if t in self.types))

    @property
    def accept(self) -> str:
        """The file input's `accept` attribute: a hint for the browser's dialog, never a check."""
        return ",".join(f".{ext}" for t in FORMATS if t in self.types for ext in FORMATS[t][1])

    def check(self, upload) -> CheckedFile:
        """One file; ValidationError with a Russian message naming the file."""
        raw_name = getattr(upload, "name", "") or ""
        name = clean_file_name(raw_name) if self.keep_name else _display_name(raw_name)
        size = getattr(upload, "size", None) or 0
        if not size:
            raise ValidationError(_("Файл «%(name)s» пустой.") % {"name": name}, code="file_empty")
        if size > self.max_size:
            raise ValidationError(
                _("Файл «%(name)s» больше %(limit)s.") % {"name": name, "limit": filesizeformat(self.max_size)},
                code="file_too_big",
            )
        content_type = detect_content_type(upload)
        if content_type not in self.types:
            raise ValidationError(
                _("Файл «%(name)s» не является %(description)s.") % {"name": name, "description": self.description},
                code="file_type",
            )
        if self.keep_name and name.rsplit(".", 1)[-1].lower() not in FORMATS[content_type][1]:
            raise ValidationError(
                _("Расширение файла «%(name)s» не соответствует его содержимому.") % {"name": name}, code="file_type"
            )
        return CheckedFile(upload=upload, name=name, content_type=content_type, size=size)

    def check_many(self, uploads: Iterable, *, already_attached: int = 0) -> list[CheckedFile]:
        """Several files, `already_attached` counting towards the limit; every file's error at once."""
        uploads = [u for u in uploads if u]
        if already_attached + len(uploads) > self.max_count:
            limit = self.max_count
            if already_attached:
                message = ngettext(
                    "Всего можно приложить не больше %(limit)d файла, уже приложено: %(n)d.",
                    "Всего можно приложить не больше %(limit)d файлов, уже приложено: %(n)d.",
                    limit,
                ) % {"limit": limit, "n": already_attached}
            else:
                message = ngettext(
                    "Можно приложить не больше %(limit)d файла.", "Можно приложить не больше %(limit)d файлов.", limit
                ) % {"limit": limit}
            raise ValidationError(message, code="too_many_files")
        errors, checked = [], []
        for upload in uploads:
            try:
                checked.append(self.check(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


def clean_file_name(raw: str) -> str:
    """The name to show and to send back; raises ValidationError for a dangerous one."""
    name = unicodedata.normalize("NFC", raw or "").strip()
    if not name:
        raise ValidationError(_("У файла нет имени."), code="file_name")
    if any(ch in name for ch in "/\\") or ".." in name:
        raise ValidationError(
            _("Имя файла «%(name)s» содержит недопустимые символы.") % {"name": name[:60]}, code="file_name"
        )
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        # Control and invisible formatting characters (e.g. right-to-left override) disguise extensions.
        raise ValidationError(_("Имя файла содержит непечатаемые символы."), code="file_name")
    if name.startswith(".") or _WINDOWS_RESERVED.match(name):
        raise ValidationError(_("Недопустимое имя файла «%(name)s».") % {"name": name[:60]}, code="file_name")
    parts = name.lower().split(".")
    if len(parts) < 2:
        raise ValidationError(_("У файла «%(name)s» нет расширения.") % {"name": name[:60]}, code="file_name")
    if any(part.strip() in _DANGEROUS_EXTENSIONS for part in parts[1:]):
        raise ValidationError(
            _("Файл «%(name)s» похож на программу или веб-страницу; такие файлы не принимаются.")
            % {"name": name[:60]},
            code="file_name",
        )
    if len(name) > MAX_NAME_LENGTH:
        stem, _dot, ext = name.rpartition(".")
        name = stem[: MAX_NAME_LENGTH - len(ext) - 1] + "." + ext
    return name


def _display_name(raw: str) -> str:
    # Only for messages: the last path part, printable characters, short.
    name = re.split(r"[/\\]", raw or "")[-1]
    return "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))[:60]


def detect_content_type(upload) -> str | None:
    """The type the bytes show, one of FORMATS, or None for anything else (or a polyglot)."""
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.mime in _SIGNATURE_TYPES:
        return None if _is_polyglot(upload, head) else kind.mime
    # filetype names OOXML/ODF from the first bytes only; a ZIP of any kind may look like one.
    if kind.mime in ("application/zip", DOCX, XLSX, ODT, ODS):
        return _zip_document_kind(upload)
    return None


def _is_polyglot(upload, head: bytes) -> bool:
    """An image, PDF or RTF that is also a ZIP (a JAR, an Office file) or starts like a web page."""
    lowered = head[:1024].lower()
    if any(marker in lowered for marker in _HTML_MARKERS):
        return True
    try:
        return zipfile.is_zipfile(upload)
    finally:
        upload.seek(0)


def _zip_document_kind(upload) -> str | None:
    """DOCX, XLSX, ODT or ODS when the ZIP is a well-formed package of that kind without macros, else None."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if len(infos) > _ZIP_MAX_ENTRIES or sum(i.file_size for i in infos) > _ZIP_MAX_UNPACKED:
                return None
            names = {i.filename for i in infos}
            if any(_MACRO_PARTS.search(n) for n in names):
                return None
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", errors="replace").strip()
                return declared if declared in (ODT, ODS) and "META-INF/manifest.xml" in names else None
            if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
                return None
            content_types = archive.read("[Content_Types].xml").decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, RuntimeError, ValueError):
        return None
    finally:
        upload.seek(0)
    for mime, (main_part, main_type) in _OOXML_MAIN.items():
        if main_part in names and main_type in content_types:
            return mime
    return None


def random_stored_name(*folders: str, extension: str = "") -> str:
    """A name on disk that never comes from the uploader: random, in the folders given."""
    name = secrets.token_hex(16) + (f".{extension}" if extension else "")
    return str(PurePosixPath(*folders, name))


class PrivateFileStorage(FileSystemStorage):
    """Files under MEDIA_ROOT that no URL serves: only a view that checks access sends them."""

    def url(self, name):
        raise NotImplementedError("private files are served only through views that check access")
