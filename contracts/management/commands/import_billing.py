"""manage.py import_billing FILE [--entity contracts|supply_points|meters] [--dry-run]

Prints the summary and every refused row; exits with status 1 when anything was refused (nothing is then
saved) and 2 when the file itself cannot be read.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from contracts.imports import LAYOUTS, import_billing_file


class Command(BaseCommand):
    help = "Загружает из файла биллинга (CSV или XLSX) договоры, точки поставки или приборы учёта."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8, разделитель ; или ,) или XLSX")
        parser.add_argument(
            "--entity", choices=sorted(LAYOUTS), help="что в файле (по умолчанию — по строке заголовка)"
        )
        parser.add_argument("--dry-run", action="store_true", help="только проверить, ничего не сохранять")
        parser.add_argument("--all-rows", action="store_true", help="напечатать каждую строку, не только отклонённые")

    def handle(self, *args, file, entity=None, dry_run=False, all_rows=False, **options):
        started = time.monotonic()
        try:
            handle = open(file, "rb")  # noqa: SIM115 - closed below
        except OSError as error:
            raise CommandError(f"Не удалось открыть файл {file}: {error.strerror}") from None
        with handle:
            report = import_billing_file(handle, entity=entity, dry_run=dry_run)
        elapsed = time.monotonic() - started
        rows = report.rows if all_rows else report.refused
        for row in rows:
            reasons = "; ".join(row.reasons)
            line = f"строка {row.row}\t{row.billing_id or '—'}\t{row.outcome_label}"
            self.stdout.write(f"{line}\t{reasons}" if reasons else line)
        summary = f"{report.summary()} ({elapsed:.1f} с)"
        if report.file_error:
            raise CommandError(summary, returncode=2)
        if not report.ok:
            raise CommandError(summary, returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))
