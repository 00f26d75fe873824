"""What an import did, row by row: created, updated, unchanged or refused (with the reasons in Russian)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

CREATED, UPDATED, UNCHANGED, REFUSED = "created", "updated", "unchanged", "refused"
OUTCOME_LABELS = {
    CREATED: _("создана"),
    UPDATED: _("обновлена"),
    UNCHANGED: _("без изменений"),
    REFUSED: _("отклонена"),
}


@dataclass(slots=True)
class RowResult:
    row: int
    billing_id: str
    outcome: str
    reasons: list[str] = field(default_factory=list)

    @property
    def outcome_label(self):
        return OUTCOME_LABELS[self.outcome]


@dataclass
class ImportReport:
    entity: str = ""
    file_format: str = ""
    dry_run: bool = False
    rows: list[RowResult] = field(default_factory=list)
    # A problem with the whole file (wrong header, not a table): nothing was read row by row.
    file_error: str = ""
    saved: bool = False

    def add(self, row: int, billing_id: str, outcome: str, reasons=()) -> RowResult:
        result = RowResult(row, billing_id, outcome, list(reasons))
        self.rows.append(result)
        return result

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        totals = dict.fromkeys(OUTCOME_LABELS, 0)
        for r in self.rows:
            totals[r.outcome] += 1
        return totals

    @property
    def refused(self) -> list[RowResult]:
        return [r for r in self.rows if r.outcome == REFUSED]

    @property
    def ok(self) -> bool:
        return not self.file_error and not any(r.outcome == REFUSED for r in self.rows)

    def summary(self) -> str:
        if self.file_error:
            return str(_("Файл не загружен: %(reason)s")) % {"reason": self.file_error}
        c = self.counts
        figures = str(
            _(
                "строк: %(total)d; создано: %(created)d, обновлено: %(updated)d, без изменений: "
                "%(unchanged)d, отклонено: %(refused)d"
            )
        ) % {"total": len(self.rows), **c}
        if c[REFUSED]:
            verdict = _("Ничего не сохранено: в файле есть отклонённые строки. Исправьте их и загрузите файл снова.")
        elif self.dry_run:
            verdict = _("Проверка без сохранения: ошибок нет, ничего не сохранено.")
        else:
            verdict = _("Файл загружен.")
        return f"{verdict} {figures[:1].upper()}{figures[1:]}."
