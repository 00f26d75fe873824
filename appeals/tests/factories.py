"""Test helpers for appeals: files by content, and appeals built through the services."""

import io
import uuid
import zipfile
from datetime import UTC, datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from appeals import services
from appeals.files import check_file
from appeals.models import Appeal

# A fixed moment: Monday 2 March 2026, 10:00 Moscow time.
NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/MediaBox[0 0 612 792]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd40000000049454e44ae426082"
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def ooxml_bytes(kind="docx", *, macros=False) -> bytes:
    """A minimal Office Open XML package of the given kind."""
    prefix = "application/vnd.openxmlformats-officedocument."
    if kind == "docx":
        main, main_type = "word/document.xml", prefix + "wordprocessingml.document.main+xml"
    else:
        main, main_type = "xl/workbook.xml", prefix + "spreadsheetml.sheet.main+xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/{main}" ContentType="{main_type}"/></Types>',
        )
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr(main, '<?xml version="1.0"?><root/>')
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 10)
    return buffer.getvalue()


def plain_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


def upload(name="акт.pdf", content=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def submit(author, *, now=NOW, kind=Appeal.Kind.REQUEST, topic=Appeal.Topic.OTHER, files=(), organisation=None,
           subject="Перерасчёт за февраль", text="Прошу пересчитать начисления за февраль.", **extra) -> Appeal:
    appeal, _created = services.appeal_submit(
        author=author, organisation=organisation, kind=kind, topic=topic, subject=subject, text=text,
        files=[check_file(f) for f in files], idempotency_key=extra.pop("idempotency_key", uuid.uuid4()), now=now,
        **extra,
    )
    return appeal
