"""{% clocks deadlines %}: a record page's stored clocks through the shared partial deadlines/_clock.html
(due date, state, explanation, events, and the forms of the acts the user may take), in a constant number
of queries. The forms post to the one view /deadlines/<id>/<action>/ and come back to this page."""

from django import template

from fazhi.deadlines import selectors

register = template.Library()


@register.inclusion_tag("deadlines/_clocks.html", takes_context=True)
def clocks(context, deadlines, labels: str = ""):
    """`labels` names each clock's purpose on this record, e.g. "accept:交办(受理);handle:答复"."""
    request = context["request"]
    names = dict(part.split(":", 1) for part in labels.split(";") if ":" in part)
    panels = [p.with_forms() for p in selectors.clock_panels(user=request.user, deadlines=deadlines)]
    for p in panels:
        p.label = names.get(p.deadline.purpose, "")
    return {"panels": panels, "next": request.get_full_path(), "csrf_token": context.get("csrf_token")}
