"""Template filters of the programme pages; each asks `rules`, so pages and exports agree."""

from django import template

from fazhi.programme import rules

register = template.Library()


@register.filter
def period(label: str) -> str:
    """{{ a.period_label|period }} → 2026年第一季度."""
    return rules.period_display(label)
