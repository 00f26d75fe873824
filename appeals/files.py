"""Checks for uploaded files: by their content, never by the name alone.

PDF, JPEG and PNG are recognised by their signature (the `filetype` package).
DOCX and XLSX are ZIP containers: a ZIP is accepted only when it is a real
Office Open XML package of the expected kind without macros.
"""

import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_FILES_PER_APPEAL = 5
MAX_NAME_LENGTH = 150

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXTENSIONS = {
    PDF: {"pdf"},
    JPEG: {"jpg", "jpeg"},
    PNG: {"png"},
    DOCX: {"docx"},
    XLSX: {"xlsx"},
}
ACCEPT_ATTRIBUTE = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"

# The main part of each OOXML package, as declared in [Content_Types].xml.
_OOXML_MAIN = {
    DOCX: ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}
# A zip bomb guard: an office document from a customer is far smaller unpacked.
_OOXML_MAX_UNPACKED = 200 * 1024 * 1024
_OOXML_MAX_ENTRIES = 5000

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
    name: str
    content_type: str
    size: int


def clean_file_name(raw: str) -> str:
    """The name to show and to send back; raises ValidationError for a dangerous one."""
    name = unicodedata.normalize("NFC", raw or "").strip()
    if not name:
        raise ValidationError(_("У файла нет имени."), code="file_name")
    if any(ch in name for ch in "/\\") or ".." in name:
        raise ValidationError(_("Имя файла «%(name)s» содержит недопустимые символы.") % {"name": name[:60]},
                              code="file_name")
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


def _ooxml_kind(upload):
    """DOCX or XLSX when the ZIP is a well-formed Office Open XML package, else None."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if len(infos) > _OOXML_MAX_ENTRIES or sum(i.file_size for i in infos) > _OOXML_MAX_UNPACKED:
                return None
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
                return None
            if any(n.lower().endswith("vbaproject.bin") for n in names):
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


def detect_content_type(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.mime in (PDF, JPEG, PNG):
        return kind.mime
    # filetype names DOCX/XLSX from the first bytes only; a ZIP of any kind may look like one.
    if kind.mime in ("application/zip", DOCX, XLSX):
        return _ooxml_kind(upload)
    return None


def check_file(upload) -> CheckedFile:
    """Validate one uploaded file; ValidationError with a Russian message naming the file."""
    name = clean_file_name(getattr(upload, "name", ""))
    size = upload.size
    if not size:
        raise ValidationError(_("Файл «%(name)s» пустой.") % {"name": name}, code="file_empty")
    if size > MAX_FILE_SIZE:
        raise ValidationError(
            _("Файл «%(name)s» больше %(limit)s.") % {"name": name, "limit": filesizeformat(MAX_FILE_SIZE)},
            code="file_too_big",
        )
    content_type = detect_content_type(upload)
    if content_type is None:
        raise ValidationError(
            _("Файл «%(name)s» не является документом PDF, DOCX, XLSX или изображением JPEG, PNG.") % {"name": name},
            code="file_type",
        )
    extension = name.rsplit(".", 1)[-1].lower()
    if extension not in EXTENSIONS[content_type]:
        raise ValidationError(
            _("Расширение файла «%(name)s» не соответствует его содержимому.") % {"name": name}, code="file_type"
        )
    return CheckedFile(upload=upload, name=name, content_type=content_type, size=size)


def check_files(uploads, *, already_attached=0, limit=MAX_FILES_PER_APPEAL) -> list[CheckedFile]:
    uploads = [u for u in uploads if u]
    if already_attached + len(uploads) > limit:
        if already_attached:
            message = _("Всего к обращению можно приложить не больше %(limit)d файлов, уже приложено: %(n)d.") % {
                "limit": limit, "n": already_attached,
            }
        else:
            message = _("Можно приложить не больше %(limit)d файлов к обращению.") % {"limit": limit}
        raise ValidationError(message, code="too_many_files")
    errors, checked = [], []
    for upload in uploads:
        try:
            checked.append(check_file(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return checked
