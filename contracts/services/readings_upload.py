"""An organisation's readings file: many meters at once, all or nothing, with a report per row.

The file is CSV (UTF-8 or Windows-1251, `;` or `,` between columns) or XLSX, with the
columns «Заводской номер», «T1», «T2», «T3» and an optional «Комментарий» in this order (a
header row is optional; empty T2/T3 for a single-zone meter; the comment confirms an
unusually high consumption, as on the form). Every row goes through `submit_reading` (the same
rules as the form) inside one transaction; if any row is refused, nothing is saved and
the report says which rows and why. A meter the user may not submit for — another
customer's, or one that does not exist — is reported the same way, «счётчик не найден
среди ваших», so the file never reveals anyone else's meters.
"""

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts import access
from contracts.models import Reading
from contracts.services.readings import FIELDS, reading_window, submit_reading, window_closed_message
from core.uploads import XLSX, UploadPolicy, detect_content_type

POLICY = UploadPolicy(
    types=frozenset({XLSX}),
    max_size=10 * 1024 * 1024,  # the real limit is settings.READINGS_UPLOAD_MAX_BYTES, checked first
    description=gettext_lazy("таблицей XLSX или файлом CSV"),
)
HEADER_WORDS = {"заводской номер", "номер счётчика", "номер счетчика", "серийный номер", "serial", "serial_number"}
ACCEPT = ".csv,.xlsx"


@dataclass
class RowReport:
    line: int
    serial: str
    values: list
    comment: str = ""
    status: str = ""  # "accepted", "corrected", "refused"
    messages: list = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return self.status == "refused"


@dataclass
class UploadReport:
    rows: list[RowReport] = field(default_factory=list)
    saved: bool = False

    @property
    def refused(self) -> list[RowReport]:
        return [r for r in self.rows if r.refused]

    @property
    def accepted_count(self) -> int:
        return sum(1 for r in self.rows if not r.refused)


def _file_error(message, code="file"):
    return ValidationError({"file": ValidationError(message, code=code)})


def read_rows(upload) -> list[tuple[int, list[str]]]:
    """(line number, cells) of a CSV or XLSX file; ValidationError on `file` for anything else."""
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", 0) or 0
    if not size:
        raise _file_error(_("Файл пустой."), "file_empty")
    if size > settings.READINGS_UPLOAD_MAX_BYTES:
        raise _file_error(
            _("Файл больше %(limit)s.") % {"limit": filesizeformat(settings.READINGS_UPLOAD_MAX_BYTES)},
            "file_too_big",
        )
    content_type = detect_content_type(upload)
    if content_type == XLSX:
        try:
            POLICY.check(upload)
        except ValidationError as error:
            raise ValidationError({"file": error}) from None
        return _xlsx_rows(upload)
    if content_type is not None or not name.lower().endswith(".csv"):
        raise _file_error(_("Нужна таблица XLSX или файл CSV (с расширением .csv)."), "file_type")
    return _csv_rows(upload)


def _decode(raw: bytes) -> str:
    if b"\x00" in raw:
        raise _file_error(_("Файл не похож на текстовый CSV."), "file_type")
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _file_error(_("Не удалось прочитать файл: сохраните его в кодировке UTF-8."), "file_type")


def _csv_rows(upload) -> list[tuple[int, list[str]]]:
    upload.seek(0)
    text = _decode(upload.read())
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error:
        raise _file_error(_("Не удалось разобрать CSV: проверьте кавычки и разделители."), "file_type") from None
    return [(n, cells) for n, cells in enumerate(rows, start=1)]


def _xlsx_rows(upload) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        for n, cells in enumerate(sheet.iter_rows(max_col=5, values_only=True), start=1):
            rows.append((n, [_cell_text(c) for c in cells]))
            if len(rows) > settings.READINGS_UPLOAD_MAX_ROWS + 1:
                break
        workbook.close()
    except Exception:  # noqa: BLE001 - any damage inside a workbook is the same refusal to a person
        raise _file_error(_("Не удалось прочитать таблицу XLSX: файл повреждён."), "file_type") from None
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def upload_readings(user, upload, *, now=None) -> UploadReport:
    """Parse, check every row through submit_reading, and save all rows or none."""
    now = now or timezone.now()
    window = reading_window(now)
    if not window.is_open:
        raise _file_error(window_closed_message(window), "window_closed")
    lines = [(n, [c.strip() for c in cells]) for n, cells in read_rows(upload) if any(c.strip() for c in cells)]
    if lines and lines[0][1] and lines[0][1][0].strip().lower() in HEADER_WORDS:
        lines = lines[1:]
    if not lines:
        raise _file_error(_("В файле нет строк с показаниями."), "file_empty")
    if len(lines) > settings.READINGS_UPLOAD_MAX_ROWS:
        raise _file_error(
            _("В файле больше %(max)d строк: разделите его на несколько.") % {"max": settings.READINGS_UPLOAD_MAX_ROWS},
            "too_many_rows",
        )

    report = UploadReport(
        rows=[
            RowReport(
                line=n,
                serial=cells[0] if cells else "",
                values=list(cells[1:4]),
                comment=cells[4] if len(cells) > 4 else "",
            )
            for n, cells in lines
        ]
    )
    serials = {r.serial for r in report.rows if r.serial}
    # One query for the file's meters among those the user may reach; anything else is "not found".
    meters = {m.serial_number: m for m in access.meters_for_customer(user).filter(serial_number__in=serials)}
    seen = {}
    with transaction.atomic():
        for row in report.rows:
            _check_row(user, row, meters, seen, now)
        if report.refused:
            transaction.set_rollback(True)
        else:
            report.saved = True
    return report


def _check_row(user, row: RowReport, meters: dict, seen: dict, now) -> None:
    if not row.serial:
        row.status, row.messages = "refused", [_("Не указан заводской номер счётчика.")]
        return
    if row.serial in seen:
        row.status = "refused"
        row.messages = [_("Этот счётчик уже есть в строке %(line)d.") % {"line": seen[row.serial]}]
        return
    seen[row.serial] = row.line
    meter = meters.get(row.serial)
    if meter is None:
        row.status, row.messages = "refused", [_("Счётчик не найден среди ваших.")]
        return
    try:
        with transaction.atomic():
            result = submit_reading(
                user, meter, row.values, source=Reading.Source.UPLOAD, now=now, comment=row.comment
            )
    except PermissionDenied:
        row.status, row.messages = "refused", [_("Счётчик не найден среди ваших.")]
    except ValidationError as error:
        row.status = "refused"
        row.messages = _messages(error)
    else:
        row.status = "corrected" if result.corrected else "accepted"


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        result = []
        for key, errors in error.error_dict.items():
            prefix = f"{key.upper()}: " if key in FIELDS else ""
            result.extend(prefix + message for e in errors for message in e.messages)
        return result
    return list(error.messages)
