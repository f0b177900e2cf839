"""Which navbar entry the current page belongs to, so it can be marked (aria-current)."""

from django import template

register = template.Library()

_SECTIONS = {"home": "home", "programme-overview": "overview", "calendar": "calendar", "api:docs": "api"}


@register.simple_tag(takes_context=True)
def nav_section(context) -> str:
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None:
        return ""
    name = match.view_name
    if name in _SECTIONS:
        return _SECTIONS[name]
    if name.startswith("procedure-"):
        return "procedures"
    if name.startswith(("normdoc-", "filing-", "cleanup-")):
        return "normdocs"
    if name.startswith(("decision-", "accountability-")):
        return "decisions"
    if name.startswith(("reconsideration-", "litigation-")):
        return "remedies"
    if name.startswith(("enforcement-", "subject-", "officer-", "penalty-", "licence-", "publication-", "enf-record-",
                        "fault-")):
        return "enforcement"
    if name.startswith("submission-"):
        return "submissions"
    if name.startswith("consultation-"):
        return "consultations"
    return "programme" if name.startswith(("programme-", "assignment-", "task-", "report-", "workplan-")) else ""
