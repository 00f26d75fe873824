"""Form helpers every domain needs: a service's refusal on the form, checked file uploads."""

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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class CheckedFilesField(forms.Field):
    """Files checked by an `UploadPolicy` (core.uploads); cleans to a list of CheckedFile.

    `already_attached` (set by the form for a record that has files) counts
    towards the policy's limit.
    """

    widget = MultipleFileInput

    def __init__(self, *, policy, **kwargs):
        self.policy = policy
        self.already_attached = 0
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", policy.accept)

    def clean(self, data, initial=None):
        if not data:
            uploads = []
        elif isinstance(data, list | tuple):
            uploads = list(data)
        else:
            uploads = [data]
        if self.required and not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        return self.policy.check_many(uploads, already_attached=self.already_attached)
