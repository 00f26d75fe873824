from django import template

from deadlines.services import cached_calendar_coverage_warning, cached_rule_gap_warning

register = template.Library()


@register.simple_tag
def calendar_coverage_warning():
    """The staff warning about a missing production calendar year, or None (cached)."""
    return cached_calendar_coverage_warning()


@register.simple_tag
def rule_gap_warning():
    """The staff warning about codes left without an active general deadline rule, or None (cached)."""
    return cached_rule_gap_warning()
