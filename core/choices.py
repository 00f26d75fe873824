"""Choice labels for pages that show many rows: one map per field and language, built once.

`get_FOO_display()` rebuilds and hashes the field's whole (lazily translated) choices on every
call: a changelist of 50 rows with three such columns spent a third of its Python calls there
(issue 11). The maps here are built once per process for each model, field and language.
"""

import functools

from django.utils.translation import get_language


@functools.cache
def _labels(model, field_name: str, language: str | None) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


def choice_labels(model, field_name: str) -> dict:
    """{value: label} of a field's choices in the active language."""
    return _labels(model, field_name, get_language())


def choice_label(obj, field_name: str) -> str:
    """What `obj.get_<field_name>_display()` says, from the map: the label, or the stored value if it is no choice."""
    value = getattr(obj, field_name)
    return choice_labels(type(obj), field_name).get(value, value)
