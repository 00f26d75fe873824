from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = _("Сроки и производственный календарь")

    def ready(self):
        from deadlines import (
            checks,  # noqa: F401  (registers the system check)
            tables,
        )
        from deadlines.models import CalendarDay, CalendarYear, DeadlineRule
        from deadlines.services import forget_calendar_coverage_warning, forget_rule_gap_warning

        def forget(**kwargs):
            forget_calendar_coverage_warning()

        # The admin index caches the coverage warning; a year added or removed
        # must show at once, from any code path.
        post_save.connect(forget, sender=CalendarYear, weak=False, dispatch_uid="deadlines.coverage.save")
        post_delete.connect(forget, sender=CalendarYear, weak=False, dispatch_uid="deadlines.coverage.delete")

        def forget_gaps(**kwargs):
            forget_rule_gap_warning()

        post_save.connect(forget_gaps, sender=DeadlineRule, weak=False, dispatch_uid="deadlines.rule_gaps.save")
        post_delete.connect(forget_gaps, sender=DeadlineRule, weak=False, dispatch_uid="deadlines.rule_gaps.delete")

        # Every process keeps the rules and the calendar (deadlines.tables): any change makes them read again.
        for model in (DeadlineRule, CalendarDay, CalendarYear):
            name = model._meta.model_name
            post_save.connect(tables.changed, sender=model, weak=False, dispatch_uid=f"deadlines.tables.{name}.save")
            post_delete.connect(tables.changed, sender=model, weak=False,
                                dispatch_uid=f"deadlines.tables.{name}.delete")
        post_migrate.connect(tables.changed, weak=False, dispatch_uid="deadlines.tables.migrate")
