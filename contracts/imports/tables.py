"""Reading a billing file into a header and rows of cells: CSV (UTF-8, `;` or `,`) or XLSX.

The content decides, never the name: an XLSX book is recognised by `core.uploads` (a real OOXML
spreadsheet without macros, no zip bomb), anything else must decode as UTF-8 text (a BOM is tolerated).
Every problem with the file itself is a `FileRefused` with a Russian message, never an exception
that reaches a person: binary junk, an empty file, a huge cell, a broken workbook.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _

from core.uploads import XLSX, detect_content_type

# A billing export of 100,000 accounts is about 15 MB as CSV; the limit leaves room for growth.
MAX_FILE_BYTES = 40 * 1024 * 1024
MAX_ROWS = 300_000
# A ZIP of documents with its manifest (billing's monthly bills): bigger than a table, so its own limits.
MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024
MAX_ARCHIVE_ENTRIES = 200_000
MAX_ARCHIVE_UNPACKED = 2 * 1024 * 1024 * 1024
MANIFEST_NAMES = ("manifest.csv", "manifest.xlsx")
# csv's own limit, raised from its 128 KiB default would only let junk through: a cell is at most a few
# hundred characters; a longer one means a broken file (an unclosed quote swallows the rest).
_CSV_FIELD_LIMIT = 100_000


class FileRefused(Exception):
    """The file as a whole cannot be imported; `message` says why, in Russian."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


Cell = str | datetime.date | None


def read_table(fileobj) -> tuple[str, list[str], Iterator[tuple[int, list[Cell]]]]:
    """(format, header, rows): the header's names lowered and stripped; rows as (row number, cells).

    Row numbers count from 1 at the header, as a spreadsheet shows them; empty rows are skipped.
    """
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    if size == 0:
        raise FileRefused(_("Файл пустой."))
    if is_archive(fileobj):
        return "zip", *read_manifest(fileobj, size)
    if size > MAX_FILE_BYTES:
        raise FileRefused(
            _("Файл больше %(limit)d МБ: разделите его на несколько.") % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if detect_content_type(fileobj) == XLSX:
        rows = _xlsx_rows(fileobj)
        kind = "xlsx"
    else:
        rows = _csv_rows(fileobj.read())
        kind = "csv"
    _header_number, header = _first_nonempty(rows)
    names = [str(cell or "").strip().lstrip("\ufeff").lower() for cell in header]
    while names and not names[-1]:
        names.pop()
    return kind, names, _data_rows(rows, len(names))


def is_archive(fileobj) -> bool:
    """A plain ZIP (not an Excel book, which is a ZIP too): a documents archive with its manifest."""
    fileobj.seek(0)
    head = fileobj.read(4)
    fileobj.seek(0)
    return head == b"PK\x03\x04" and detect_content_type(fileobj) != XLSX


def read_manifest(fileobj, size: int):
    """(header, rows) of the archive's manifest; `open_archive` gives the files it names."""
    if size > MAX_ARCHIVE_BYTES:
        raise FileRefused(
            _("Архив больше %(limit)d МБ: разделите его на несколько.") % {"limit": MAX_ARCHIVE_BYTES // (1024 * 1024)}
        )
    archive = open_archive(fileobj)
    names = {info.filename for info in archive.infolist()}
    manifest = next((n for n in MANIFEST_NAMES if n in names), None)
    if manifest is None:
        raise FileRefused(_("В архиве нет описи manifest.csv (или manifest.xlsx) в корне архива."))
    inner = io.BytesIO(archive.read(manifest))
    rows = _xlsx_rows(inner) if manifest.endswith(".xlsx") else _csv_rows(inner.read())
    _header_number, header = _first_nonempty(rows)
    names = [str(cell or "").strip().lstrip("\ufeff").lower() for cell in header]
    while names and not names[-1]:
        names.pop()
    return names, _data_rows(rows, len(names))


def open_archive(fileobj) -> zipfile.ZipFile:
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise FileRefused(_("Архив ZIP не удалось прочитать: файл повреждён.")) from None
    if len(infos) > MAX_ARCHIVE_ENTRIES or sum(i.file_size for i in infos) > MAX_ARCHIVE_UNPACKED:
        raise FileRefused(_("В архиве слишком много файлов или они слишком большие: разделите его на несколько."))
    return archive


def _first_nonempty(rows):
    for number, cells in rows:
        if any(_present(c) for c in cells):
            return number, cells
    raise FileRefused(_("В файле нет ни одной строки: нужна строка заголовка и строки с данными."))


def _present(cell) -> bool:
    return cell is not None and (not isinstance(cell, str) or cell.strip() != "")


def _data_rows(rows, width):
    count = 0
    for number, cells in rows:
        if not any(_present(c) for c in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise FileRefused(_("В файле больше %(limit)d строк: разделите его на несколько.") % {"limit": MAX_ROWS})
        yield number, list(cells)


def _csv_rows(data: bytes):
    if b"\x00" in data[:65536]:
        raise FileRefused(_("Файл не является таблицей CSV или книгой Excel (XLSX)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(
            _("Файл не является таблицей CSV в кодировке UTF-8 или книгой Excel (XLSX). Сохраните его как «CSV UTF-8».")
        ) from None
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") >= first_line.count(",") and ";" in first_line else ","
    previous = csv.field_size_limit(_CSV_FIELD_LIMIT)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
        number = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise FileRefused(
                    _("Строка %(row)d файла не читается как CSV: слишком длинная ячейка или незакрытая кавычка.")
                    % {"row": number + 1}
                ) from None
            number += 1
            yield number, cells
    finally:
        csv.field_size_limit(previous)


def _xlsx_rows(fileobj):
    from openpyxl import load_workbook

    try:
        book = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken book; all mean the same here
        raise FileRefused(_("Книгу Excel не удалось прочитать: файл повреждён.")) from None
    try:
        if not book.worksheets:
            raise FileRefused(_("В книге Excel нет листов."))
        sheet = book.worksheets[0]
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_xlsx_cell(v) for v in values]
        except FileRefused:
            raise
        except Exception:  # noqa: BLE001 - same: a broken sheet is the file's fault, not ours
            raise FileRefused(_("Книгу Excel не удалось прочитать: файл повреждён.")) from None
    finally:
        book.close()


def _xlsx_cell(value) -> Cell:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        # Spreadsheets store whole numbers as floats; 12.5 stays 12.5.
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    return str(value)
