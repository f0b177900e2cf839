"""Form fields the Bootstrap way, the same on every page: the message sits at the field
(`is-invalid`, `invalid-feedback`, `aria-describedby`), and a failed form asks again only
for the files a browser cannot keep. static/fazhi/forms.js moves focus to the first invalid field."""

from django import forms, template

register = template.Library()


def _css(widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.filter
def dropped_files(field) -> list[str]:
    """Names of the files chosen for `field` in a submission that failed: they were not kept."""
    form = field.form
    if not (form.is_bound and form.errors and isinstance(field.field, forms.FileField)):
        return []
    return [f.name for f in form.files.getlist(field.html_name)]


@register.simple_tag
def field_widget(field, size: str = "", **attrs):
    """The widget with its Bootstrap class, `is-invalid` and `aria-describedby` pointing at its
    help text and messages. `size="sm"` for compact forms."""
    widget = field.field.widget
    base = _css(widget)
    classes = [c for c in widget.attrs.get("class", "").split() if c not in ("form-control", "form-select")]
    classes.insert(0, base)
    if size and base != "form-check-input":
        classes.append(f"{base}-{size}")
    if field.errors:
        classes.append("is-invalid")
    described = []
    auto_id = field.auto_id
    if field.help_text:
        described.append(f"{auto_id}_help")
    if field.errors:
        described.append(f"{auto_id}_error")
    if dropped_files(field):
        described.append(f"{auto_id}_refile")
    attrs = {**attrs, "class": " ".join(dict.fromkeys(classes))}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def is_choice_list(field) -> bool:
    """Checkboxes or radios, one per choice: a fieldset of form-checks, not one input."""
    return isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.simple_tag
def choice_options(field) -> list:
    """Each choice of a checkbox/radio list as (input, label, id), the inputs in Bootstrap's form-check style and
    described by the field's help text and messages."""
    described = [f"{field.auto_id}_{k}" for k, on in (("help", field.help_text), ("error", field.errors)) if on]
    attrs = {"class": "form-check-input" + (" is-invalid" if field.errors else "")}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return [(_option_tag(option, attrs), option.choice_label,
             option.id_for_label) for option in field.subwidgets]


def _option_tag(option, attrs: dict):
    from django.utils.safestring import mark_safe

    data = {**option.data, "wrap_label": False, "attrs": {**option.data["attrs"], **attrs}}
    return mark_safe(option.parent_widget._render(option.template_name, {"widget": data}, option.renderer))


@register.filter
def named(message, label) -> str:
    """A field's message names the field once: services' messages (shared with the API) often already do."""
    message = str(message)
    return message if f"「{label}」" in message else f"「{label}」{message}"
