"""The case-page panels of publication and 全过程记录: `{% include "enforcement/publication/_panel.html" with
case=case %}` and `{% include "enforcement/records/_panel.html" with case=case %}` call these tags, which read the
case's publication or records (a few queries, whatever the case) and render the panel with its forms."""

from django import template

register = template.Library()


@register.inclusion_tag("enforcement/publication/_panel_body.html", takes_context=True)
def publication_panel(context, case):
    from fazhi.enforcement.publication.services import publication_for
    from fazhi.enforcement.publication.views import panel_context

    request = context["request"]
    return {**panel_context(request, publication_for(case)), "request": request, "case": case,
            "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("enforcement/records/_panel_body.html", takes_context=True)
def records_panel(context, case):
    from fazhi.enforcement.records.views import panel_context

    request = context["request"]
    return {**panel_context(request, case), "request": request, "case": case, "csrf_token": context.get("csrf_token")}
