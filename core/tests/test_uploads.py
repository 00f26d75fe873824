"""The one upload checker: every type it knows, and hostile files of every sort."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core import uploads
from core.uploads import (
    DOCX,
    JPEG,
    ODS,
    ODT,
    PDF,
    PNG,
    RTF,
    WEBP,
    XLSX,
    PrivateFileStorage,
    UploadPolicy,
    clean_file_name,
    random_stored_name,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd40000000049454e44ae426082"
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 32
RTF_BYTES = b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Hello}"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200

OOXML_MAIN = {
    "docx": ("word/document.xml", "wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
}


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ooxml(kind="docx", *, macros=False) -> bytes:
    part, main_type = OOXML_MAIN[kind]
    content_types = (
        f'<Types><Override PartName="/{part}" '
        f'ContentType="application/vnd.openxmlformats-officedocument.{main_type}"/></Types>'
    ).encode()
    entries = {"[Content_Types].xml": content_types, "_rels/.rels": b"<Relationships/>", part: b"<x/>"}
    if macros:
        entries["word/vbaProject.bin"] = b"\x00" * 10
    return zip_bytes(entries)


def odf(mime=ODT, *, macros=False) -> bytes:
    entries = {"mimetype": mime.encode(), "META-INF/manifest.xml": b"<manifest/>", "content.xml": b"<x/>"}
    if macros:
        entries["Basic/Standard/Module1.xml"] = b"<script/>"
    return zip_bytes(entries)


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


class NamedBytes(io.BytesIO):
    """An upload as a hand-made request could carry it: Django's own classes strip directories."""

    def __init__(self, name, content):
        super().__init__(content)
        self.name, self.size = name, len(content)


EVERYTHING = UploadPolicy(
    types=frozenset(uploads.FORMATS), max_size=1024 * 1024, max_count=3, description="документом или изображением"
)
EDITORS = UploadPolicy(types=frozenset({PDF, PNG}), max_size=1024, description="документом PDF", keep_name=False)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("акт.pdf", PDF_BYTES, PDF),
        ("фото.jpg", JPEG_BYTES, JPEG),
        ("фото.JPEG", JPEG_BYTES, JPEG),
        ("схема.png", PNG_BYTES, PNG),
        ("схема.webp", WEBP_BYTES, WEBP),
        ("письмо.rtf", RTF_BYTES, RTF),
        ("письмо.docx", ooxml("docx"), DOCX),
        ("расчёт.xlsx", ooxml("xlsx"), XLSX),
        ("письмо.odt", odf(ODT), ODT),
        ("расчёт.ods", odf(ODS), ODS),
    ],
)
def test_every_known_type_is_recognised_by_its_content(name, content, content_type):
    checked = EVERYTHING.check(upload(name, content))
    assert (checked.name, checked.content_type, checked.size) == (name, content_type, len(content))
    assert checked.extension == uploads.FORMATS[content_type][1][0]


HOSTILE = [
    # wrong extension against the content
    ("картинка.pdf", PNG_BYTES, "не соответствует его содержимому"),
    ("таблица.docx", ooxml("xlsx"), "не соответствует его содержимому"),
    ("текст.ods", odf(ODT), "не соответствует его содержимому"),
    # not a document at all, or a fake one
    ("вирус.pdf", EXE_BYTES, "не является"),
    ("архив.docx", zip_bytes({"a.txt": b"hello"}), "не является"),
    ("макрос.docx", ooxml("docx", macros=True), "не является"),
    ("макрос.odt", odf(ODT, macros=True), "не является"),
    ("поддельный.odt", zip_bytes({"mimetype": b"application/x-evil", "META-INF/manifest.xml": b""}), "не является"),
    ("текст.pdf", b"just some text", "не является"),
    # polyglots: one file that is two things
    ("акт.pdf", PDF_BYTES + zip_bytes({"evil.class": b"\xca\xfe\xba\xbe"}), "не является"),
    ("фото.png", PNG_BYTES + zip_bytes({"META-INF/MANIFEST.MF": b"Main-Class: X"}), "не является"),
    ("фото.jpg", JPEG_BYTES[:20] + b"<script>alert(1)</script>" + JPEG_BYTES[20:], "не является"),
    ("акт.pdf", b"%PDF-1.4\n<html><body onload=alert(1)>" + PDF_BYTES[9:], "не является"),
    # empty and oversized
    ("пустой.pdf", b"", "пустой"),
    ("огромный.pdf", PDF_BYTES + b"0" * (1024 * 1024), "больше 1,0"),
    # names
    ("счёт.pdf.exe", PDF_BYTES, "похож на программу"),
    ("счёт.exe.pdf", PDF_BYTES, "похож на программу"),
    ("page.html", b"<html></html>", "похож на программу"),
    (".htaccess.pdf", PDF_BYTES, "Недопустимое имя"),
    ("CON.pdf", PDF_BYTES, "Недопустимое имя"),
    ("без_расширения", PDF_BYTES, "нет расширения"),
]


@pytest.mark.parametrize(("name", "content", "message"), HOSTILE)
def test_hostile_uploads_are_refused_with_a_message_naming_the_file(name, content, message):
    with pytest.raises(ValidationError) as error:
        EVERYTHING.check(upload(name, content))
    assert message in error.value.messages[0]


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.pdf", "..\\..\\windows\\a.pdf", "C:\\temp\\a.pdf", "a..pdf", "/abs/a.pdf",
     "отчёт\u202efdp.exe", "a\x00.pdf", "a\n.pdf", ""],
)  # fmt: skip
def test_path_traversal_and_disguised_names_are_refused(name):
    with pytest.raises(ValidationError):
        clean_file_name(name)
    with pytest.raises(ValidationError):
        EVERYTHING.check(NamedBytes(name, PDF_BYTES))


def test_a_long_name_is_shortened_keeping_its_extension():
    name = clean_file_name("а" * 300 + ".pdf")
    assert len(name) == uploads.MAX_NAME_LENGTH and name.endswith(".pdf")


def test_without_keep_name_the_content_decides_and_the_name_is_ignored():
    checked = EDITORS.check(NamedBytes("../../evil.exe", PDF_BYTES))
    assert (checked.content_type, checked.extension) == (PDF, "pdf")
    with pytest.raises(ValidationError) as error:
        EDITORS.check(NamedBytes("../../photo.png", b"<html><script>alert(1)</script></html>"))
    assert "«photo.png» не является документом PDF" in error.value.messages[0]


def test_the_count_limit_counts_files_already_attached():
    files = [upload(f"{i}.pdf", PDF_BYTES) for i in range(4)]
    with pytest.raises(ValidationError, match="не больше 3 файлов"):
        EVERYTHING.check_many(files)
    with pytest.raises(ValidationError, match="уже приложено: 2"):
        EVERYTHING.check_many(files[:2], already_attached=2)
    one = UploadPolicy(types=frozenset({PDF}), max_size=1024, description="документом PDF")
    with pytest.raises(ValidationError, match="не больше 1 файла"):
        one.check_many(files[:2])
    assert len(EVERYTHING.check_many([*files[:3], None])) == 3


def test_every_bad_file_is_reported_at_once():
    with pytest.raises(ValidationError) as error:
        EVERYTHING.check_many([upload("a.pdf", b""), upload("b.pdf", EXE_BYTES), upload("c.pdf", PDF_BYTES)])
    assert len(error.value.messages) == 2


def test_a_zip_bomb_is_not_unpacked(monkeypatch):
    monkeypatch.setattr(uploads, "_ZIP_MAX_UNPACKED", 10)
    with pytest.raises(ValidationError):
        EVERYTHING.check(upload("письмо.docx", ooxml("docx")))


def test_the_policy_knows_its_accept_attribute_and_refuses_unknown_types():
    policy = UploadPolicy(types=frozenset({PDF, JPEG}), max_size=1, description="")
    assert policy.accept == ".pdf,.jpg,.jpeg"
    assert policy.formats == "PDF, JPEG"
    with pytest.raises(ValueError):
        UploadPolicy(types=frozenset({"text/html"}), max_size=1, description="")
    with pytest.raises(ValueError):
        UploadPolicy(types=frozenset(), max_size=1, description="")


def test_stored_names_are_random_and_private_files_have_no_url():
    first, second = random_stored_name("appeals", "2026", extension="pdf"), random_stored_name("appeals", "2026")
    assert first.startswith("appeals/2026/") and first.endswith(".pdf") and len(first.rsplit("/", 1)[1]) == 36
    assert second != first.removesuffix(".pdf") and "." not in second.rsplit("/", 1)[1]
    with pytest.raises(NotImplementedError):
        PrivateFileStorage().url("appeals/2026/x")


def test_the_checked_upload_is_left_at_its_start_for_saving():
    file = upload("письмо.docx", ooxml("docx"))
    EVERYTHING.check(file)
    assert file.tell() == 0
