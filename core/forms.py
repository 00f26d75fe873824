"""Showing a service's refusal on the form that asked for it."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's `ValidationError` beside the fields it names.

    Services raise errors keyed by their own argument names; a key the form has
    no field for (or an error without keys) becomes a form-wide message, so
    nothing a service says is ever lost on the way to the person.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
