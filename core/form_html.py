"""Form fields in the Bootstrap 5 markup of crispy-forms, written directly instead of through its templates.

crispy-forms draws one field through about ten nested templates, includes and filters: on the filing
form that was half of the page's time (issue 11). This writes the same markup (the same elements,
classes, ids, labels, error and help-text ids and aria attributes; `core/tests/test_form_html.py`
compares it with crispy's own for every kind of field the portal uses) in plain Python. The common
widgets (inputs, text areas, selects and their options) are written here too, as Django's own widget
templates draw them (a `<select>` of twenty options was twenty-two templates); any other widget is
drawn by Django. Anything unusual (a widget made of widgets) is left to crispy.

Used through the `crispy_field` and `crispy_form` filters of `portal_tags`.
"""

import html

from django import forms
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import mark_safe

# --- Django's widget templates (django/forms/templates/django/forms/widgets/), written directly ---------------

_WIDGETS = "django/forms/widgets/"
# The templates that are nothing but {% include "django/forms/widgets/input.html" %}.
_INPUTS = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in ("text", "email", "password", "number", "hidden", "url", "date", "datetime", "time", "search", "tel",
                 "color", "checkbox")
)
_TEXTAREA, _SELECT, _OPTION = f"{_WIDGETS}textarea.html", f"{_WIDGETS}select.html", f"{_WIDGETS}select_option.html"
_CONTEXT = Context()  # autoescape on, localisation as a template's: what {{ value }} does to a value


def _value(value):
    """`{{ value }}` in a widget template: localised, then escaped unless already safe."""
    if type(value) is str:  # most values: nothing to localise, not safe (what conditional_escape does to it)
        return html.escape(value)
    return render_value_in_context(value, _CONTEXT)


def _string(value):
    """`{{ value|stringformat:'s' }}`: a plain string, always escaped."""
    if type(value) is str:
        return html.escape(value)
    return escape(str(value) if isinstance(value, tuple) else "%s" % value)  # noqa: UP031 — the filter's own


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        f" {_value(name)}" if value is True else f' {_value(name)}="{_string(value)}"'
        for name, value in attrs.items() if value is not False
    )


def _option(option) -> str:
    # The option's template ends with a newline, kept inside the <select> (the renderer strips only the ends).
    return f'<option value="{_string(option["value"])}"{_attrs(option["attrs"])}>{_value(option["label"])}</option>\n'


def widget_html(context) -> str | None:
    """A widget's markup from its `get_context()`, as its template draws it; None for a template not written here."""
    w = context["widget"]
    template = w["template_name"]
    if template in _INPUTS:
        value = "" if w["value"] is None else f' value="{_string(w["value"])}"'
        return f'<input type="{_value(w["type"])}" name="{_value(w["name"])}"{value}{_attrs(w["attrs"])}>'
    if template == _TEXTAREA:
        text = _value(w["value"]) if w["value"] else ""
        return f'<textarea name="{_value(w["name"])}"{_attrs(w["attrs"])}>\n{text}</textarea>'
    if template == _SELECT:
        parts = [f'<select name="{_value(w["name"])}"{_attrs(w["attrs"])}>']
        for group_name, options, _index in w["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_value(group_name)}">')
            for option in options:
                if option["template_name"] != _OPTION:
                    return None
                parts.append(f"\n  {_option(option)}")
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)
    return None


def render_widget(field, attrs=None):
    """`field.as_widget(attrs=attrs)` (Django's BoundField), the common widgets written without their templates."""
    widget = field.field.widget
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs(attrs or {}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)
    html = widget_html(context)
    if html is None:
        return widget._render(widget.template_name, context, field.form.renderer)
    return mark_safe(html)  # noqa: S308 — every value escaped above


# --- crispy-forms' bootstrap5 field layout ----------------------------------------------------------------


def _classes(base: str, extra: str) -> str:
    """crispy's class merge: the widget's own classes, its class name, then `extra` (each class once)."""
    return " ".join(dict.fromkeys([*base.split(), *extra.split()]))


def _widget_class(widget, extra: str) -> str:
    # As crispy's {% crispy_field %}: the widget's lower-cased class name is added unless already a substring.
    own = widget.attrs.get("class", "")
    name = widget.__class__.__name__.lower()
    if not own:
        own = name
    elif own.find(name) == -1:
        own = f"{own} {name}"
    return _classes(own, extra)


def _label_text(field):
    asterisk = mark_safe('<span class="asteriskField">*</span>') if field.field.required else ""
    return format_html("{}{}", field.label, asterisk)


def _errors(field):
    if not field.errors:
        return ""
    items = format_html_join(
        "", '<p id="error_{}_{}"><strong>{}</strong></p>',
        ((n, field.auto_id, error) for n, error in enumerate(field.errors, start=1)),
    )
    return format_html('<div id="{}_error" class="invalid-feedback">{}</div>', field.errors.field_id, items)


def _help(field):
    if not field.help_text:
        return ""
    if field.auto_id:
        return format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id,
                           mark_safe(field.help_text))  # noqa: S308 — help texts are the portal's own, as crispy's |safe
    return format_html('<div class="form-text">{}</div>', mark_safe(field.help_text))  # noqa: S308


def _help_and_errors(field):
    return format_html("{}{}", _errors(field), _help(field))


def _input_attrs(attrs: dict) -> str:
    return format_html_join(
        "", "{}", ((format_html(' {}="{}"', name, value) if value is not True else format_html(" {}", name),)
                   for name, value in attrs.items() if value is not False and value is not None),
    )


def _checkbox(field, css):
    widget = render_widget(field, {"class": _widget_class(
        field.field.widget, "form-check-input is-invalid" if field.errors else "form-check-input")})
    label_class = "form-check-label requiredField" if field.field.required else "form-check-label"
    return format_html(
        '<div class="mb-3"><div id="div_{}" class="form-check{}">{}<label for="{}" class="{}">{}</label>{}</div></div>',
        field.auto_id, css, widget, field.id_for_label, label_class, _label_text(field), _help_and_errors(field),
    )


def _choices(field):
    """Radio buttons or checkboxes, one `form-check` each (crispy's radio_checkbox_select.html)."""
    id_ = field.field.widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    groups = field.field.widget.optgroups(field.html_name, field.field.widget.format_value(field.value()), attrs)
    invalid = " is-invalid" if field.errors else ""
    parts = []
    for g, (group, options, _index) in enumerate(groups):
        if group:
            parts.append(format_html("<strong>{}</strong>", group))
        for n, option in enumerate(options):
            last = field.errors and g == len(groups) - 1 and n == len(options) - 1
            parts.append(format_html(
                '<div class="form-check"><input type="{}" class="form-check-input{}" name="{}" value="{}"{}>'
                '<label for="{}" class="form-check-label">{}</label>{}</div>',
                option["type"], invalid, field.html_name, str(option["value"]), _input_attrs(option["attrs"]),
                option["attrs"].get("id", ""), str(option["label"]), _errors(field) if last else "",
            ))
    return format_html("<div>{}</div>{}", mark_safe("".join(parts)), _help(field))  # noqa: S308 — built by format_html


def _file(field):
    """A file input (crispy's field_file.html, without a current file: the portal never shows one)."""
    parts = []
    for sub in field.subwidgets:
        data = sub.data
        attrs = {k: v for k, v in data["attrs"].items() if k != "class"}
        if field.field.disabled:
            attrs = {"disabled": True, **{k: v for k, v in attrs.items() if k != "disabled"}}
        css = _classes("form-control", data["attrs"].get("class", "") + (" is-invalid" if field.errors else ""))
        parts.append(format_html(
            '<div{}><input type="{}" name="{}" class="{}"{}>{}</div>',
            mark_safe(' class="is-invalid"') if field.errors else "", data["type"], data["name"], css,
            _input_attrs(attrs), _help_and_errors(field),
        ))
    return mark_safe("".join(parts))  # noqa: S308 — built by format_html


def render_field(field):
    """One bound field as crispy-forms' bootstrap5 `field.html` draws it (labels shown, errors shown)."""
    widget = field.field.widget
    if field.is_hidden:
        if field.field.show_hidden_initial:
            return mark_safe(str(field))  # noqa: S308 — Django's own widget markup
        return render_widget(field)
    if isinstance(widget, forms.MultiWidget) or hasattr(widget, "widget"):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(field)
    css = field.css_classes()
    css = f" {css}" if css else ""
    if isinstance(widget, forms.CheckboxInput):
        return _checkbox(field, css)
    label = ""
    fieldset = field.use_fieldset and bool(field.label)
    if field.label:
        tag = "legend" if field.use_fieldset else "label"
        label_class = "form-label" + (" requiredField" if field.field.required else "") + (
            " fs-6" if field.use_fieldset else "")
        target = format_html(' for="{}"', field.id_for_label) if field.id_for_label else ""
        label = format_html('<{} {} class="{}">{}</{}>', tag, target, label_class, _label_text(field), tag)
        if fieldset:
            described = getattr(field, "aria_describedby", None)
            opening = format_html('<fieldset aria-describedby="{}">', described) if described else "<fieldset>"
            label = format_html("{}{}", mark_safe(opening), label)  # noqa: S308 — escaped above
    if isinstance(widget, forms.RadioSelect):  # radio buttons, and checkboxes (CheckboxSelectMultiple)
        body = _choices(field)
    elif isinstance(widget, forms.FileInput):
        body = _file(field)
    else:
        extra = "form-select" if isinstance(widget, forms.Select) else "form-control"
        if field.errors:
            extra += " is-invalid"
        body = format_html("{}{}", render_widget(field, {"class": _widget_class(widget, extra)}),
                           _help_and_errors(field))
    return format_html('<div id="div_{}" class="mb-3{}">{}{}{}</div>', field.auto_id, css, label, body,
                       mark_safe("</fieldset>") if fieldset else "")


def render_form(form):
    """A whole form as crispy's `|crispy` draws it: the form's own errors, then every field."""
    parts = []
    errors = form.non_field_errors()
    if errors:
        items = format_html_join("", "<li>{}</li>", ((e,) for e in errors))
        parts.append(format_html('<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>', items))
    parts.extend(conditional_escape(render_field(field)) for field in form)
    return mark_safe("".join(parts))  # noqa: S308 — every part escaped or built by format_html
