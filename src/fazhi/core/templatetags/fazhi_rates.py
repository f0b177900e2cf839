"""{{ value|pct }}: a rate in percent on a page, — for no data (0/0), never 0% or 100%."""

from django import template

register = template.Library()


@register.filter
def pct(percent) -> str:
    return "—" if percent is None else f"{percent}%"
