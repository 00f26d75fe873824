"""Tables as downloads: CSV (UTF-8 with a BOM and «;», what Russian Excel opens as is) and XLSX (openpyxl)."""

import csv
import tempfile

from django.http import FileResponse, StreamingHttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CHUNK = 2000


class _Echo:
    def write(self, value):
        return value


def csv_lines(header, rows, *, convert=None, chunk=CSV_CHUNK):
    """The file's text in chunks of `chunk` rows: the BOM and the header first, then the rows
    (`convert` edits each row)."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(header)
    batch = []
    for row in rows:
        batch.append(writer.writerow(convert(row) if convert else row))
        if len(batch) >= chunk:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def csv_response(filename: str, header, rows, *, convert=None) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(header, rows, convert=convert), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def write_xlsx(target, *, title: str, header, rows) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(target)


def xlsx_response(filename: str, *, title: str, header, rows) -> FileResponse:
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes (and so deletes) it
    write_xlsx(target, title=title, header=header, rows=rows)
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
