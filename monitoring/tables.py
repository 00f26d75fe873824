"""The dashboard's figures as tables: the page shows them (the charts' accessible equivalent) and exports them.

One definition serves both, so the file a supervisor downloads says exactly what the page says.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Link:
    text: str
    url: str

    def __str__(self):
        return self.text


@dataclass
class Table:
    key: str
    title: str
    header: list
    rows: list
    caption: str = ""

    def export_rows(self):
        return [[_plain(cell) for cell in row] for row in self.rows]


def _plain(cell):
    """A cell as a file holds it: numbers stay numbers, everything else (lazy labels included) is text."""
    if cell is None:
        return ""
    if isinstance(cell, int | float):
        return cell
    return str(cell)


def _dash(value):
    return "—" if value is None else value


def _local(moment):
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M") if moment else ""


def _month_label(month):
    return date_format(month, "F Y")


def _appeal_link(pk, number):
    return Link(f"№ {number}", reverse("admin:appeals_appeal_change", args=[pk]))


def build_tables(figures) -> dict[str, Table]:
    received, answered, first, sat = figures.received, figures.answered, figures.first_response, figures.satisfaction
    needs = figures.needs
    month_labels = [_month_label(m) for m in needs["months"]]
    tables = [
        Table("summary", _("Обращения за период"), [_("Показатель"), _("Значение")], [
            [_("Поступило (зарегистрировано)"), received["received"]],
            [_("Из них открыто сейчас"), received["open_now"]],
            [_("Из них возобновлялись"), received["reopened"]],
            [_("Дан ответ"), answered["answered"]],
            [_("Ответ в срок"), answered["on_time"]],
            [_("Ответ с нарушением срока"), answered["late"]],
            [_("Доля ответов в срок, %"), _dash(figures.on_time_share)],
            [_("Первый ответ: медиана, ч"), _dash(first["median_hours"])],
            [_("Первый ответ: 90-й процентиль, ч"), _dash(first["p90_hours"])],
            [_("Ответ: медиана, ч"), _dash(answered["median_hours"])],
            [_("Ответ: 90-й процентиль, ч"), _dash(answered["p90_hours"])],
        ]),
        Table("late", _("Ответы с нарушением срока"), [
            _("Обращение"), _("Предмет"), _("Исполнитель"), _("Срок"), _("Ответ дан"), _("Опоздание, ч"),
            _("Срок продлевался"), _("Возобновлялось"),
        ], [
            [_appeal_link(a.pk, a.number), a.subject, str(a.assignee) if a.assignee_id else "—", _local(a.due_at),
             _local(a.answered_at), a.late_hours, _("да") if a.extended_at else _("нет"),
             _("да") if a.reopened_count else _("нет")]
            for a in figures.late
        ]),
        Table("workload", _("Открытые обращения по исполнителям: сейчас"), [
            _("Исполнитель"), _("Просрочено"),
            _("Срок в ближайшие %(n)d рабочих дня (по %(day)s)") % {
                "n": 3, "day": figures.soon_until.strftime("%d.%m.%Y")},
        ], [
            [row["name"] or _("не назначен"), row["overdue"], row["due_soon"]] for row in figures.workload
        ]),
        Table("satisfaction", _("Удовлетворённость"), [_("Показатель"), _("Значение")], [
            [_("Оценок за период"), sat["rated"]],
            [_("Средняя оценка обслуживания"), _dash(sat["average"])],
            [_("Доля оценок 4–5, %"), _dash(sat["high_share"])],
            [_("Средняя оценка электроснабжения"), _dash(sat["supply_average"])],
            [_("Вопрос решён, %"), _dash(sat["solved_share"])],
        ]),
        Table("ratings", _("Распределение оценок обслуживания"), [_("Оценка"), _("Оценок"), _("Доля, %")], [
            [row["rating"], row["count"], _dash(row["share"])] for row in sat["distribution"]
        ]),
        Table("low_ratings", _("Низкие оценки (1–2) и комментарии"), [
            _("Обращение"), _("Когда"), _("Обслуживание"), _("Электроснабжение"), _("Вопрос решён"), _("Комментарий"),
        ], [
            [_appeal_link(s.object_id, s.number) if s.number else "—", _local(s.created_at), s.service_rating,
             _dash(s.supply_rating), {True: _("да"), False: _("нет")}.get(s.solved, "—"), s.comment]
            for s in figures.low_ratings
        ]),
        Table("needs_topics", _("Обращения по темам и месяцам"), [_("Тема"), *month_labels], [
            [row["label"], *row["values"]] for row in needs["by_topic"]
        ]),
        Table("needs_kinds", _("Обращения по видам и месяцам"), [_("Вид"), *month_labels], [
            [row["label"], *row["values"]] for row in needs["by_kind"]
        ]),
        Table("trend", _("Темы: этот период и предыдущий"), [
            _("Тема"), _("Этот период"), _("Предыдущий период"), _("Изменение"), _("Рост, %"),
        ], [
            [row["label"], row["current"], row["previous"], row["change"], _dash(row["growth"])]
            for row in needs["trend"]
        ]),
        Table("growing", _("Быстрее всего растущие темы"), [_("Тема"), _("Прирост обращений"), _("Рост, %")], [
            [row["label"], row["change"], _dash(row["growth"])] for row in needs["growing"]
        ]),
        Table("decisions_overdue", _("Просроченные решения по жалобам"), [
            _("Обращение"), _("Что сделать"), _("Ответственный"), _("Срок"),
        ], [
            [_appeal_link(d.appeal_id, d.appeal.number), f"{d.get_action_display()}: {d.description}",
             str(d.responsible), d.due_on.strftime("%d.%m.%Y")]
            for d in figures.decisions_overdue
        ]),
    ]
    return {table.key: table for table in tables}


def chart_data(figures) -> dict:
    """The figures the charts draw (json_script): the same numbers as the tables."""
    needs, sat = figures.needs, figures.satisfaction
    return {
        "topics": {
            "labels": [_month_label(m) for m in needs["months"]],
            "series": [{"label": str(row["label"]), "values": row["values"]} for row in needs["by_topic"]],
        },
        "trend": {
            "labels": [str(row["label"]) for row in needs["trend"]],
            "series": [
                {"label": _("Этот период"), "values": [row["current"] for row in needs["trend"]]},
                {"label": _("Предыдущий период"), "values": [row["previous"] for row in needs["trend"]]},
            ],
        },
        "ratings": {
            "labels": [str(row["rating"]) for row in sat["distribution"]],
            "series": [{"label": _("Оценок"), "values": [row["count"] for row in sat["distribution"]]}],
        },
    }
