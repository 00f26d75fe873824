"""Form helpers every domain needs: a service's refusal on the form, checked file uploads."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import periods


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


class IdempotencyKeyMixin(forms.Form):
    """A hidden key that makes a double submit of a filing form one filing.

    A missing or malformed key (a stale page, a proxy that dropped the field, a tampered
    form) is not a silent re-render: the form says what happened in the page and carries
    a fresh key, so the next submit works. The bad value is never echoed back.
    """

    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    key_missing_message = _(
        "Форма пришла без служебного ключа (страница устарела или была изменена). Ничего не сохранено: "
        "проверьте данные и отправьте форму ещё раз."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            return
        raw = self.data.get(self.add_prefix("idempotency_key"), "")
        try:
            self._parsed_key = uuid.UUID(str(raw).strip())
        except (ValueError, AttributeError):
            self._parsed_key = None
            # The page is rendered again with a fresh key (never the bad one).
            self.data = self.data.copy()
            self.data[self.add_prefix("idempotency_key")] = str(uuid.uuid4())

    def clean_idempotency_key(self):
        if self._parsed_key is None:
            raise ValidationError(self.key_missing_message, code="idempotency_key")
        return self._parsed_key

    def non_field_errors(self):
        # The hidden field's error is shown with the form's own messages.
        errors = super().non_field_errors()
        if "idempotency_key" in self.errors:
            errors = errors.copy()
            errors.extend(self.errors["idempotency_key"])
        return errors


class PeriodForm(forms.Form):
    """A report's period from the address: this month, last month, this quarter, or chosen dates.

    Bad or missing input falls back to this month (`period_for`); the errors say why, in Russian.
    """

    period = forms.ChoiceField(label=_("Период"), choices=periods.CHOICES, initial=periods.THIS_MONTH, required=False,
                               widget=forms.RadioSelect)
    start = forms.DateField(label=_("С"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("По"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def _clean_day(self, name):
        day = self.cleaned_data.get(name)
        if day is not None and not periods.FIRST_YEAR <= day.year <= periods.LAST_YEAR:
            raise forms.ValidationError(_("Укажите дату с %(first)s по %(last)s год.")
                                        % {"first": periods.FIRST_YEAR, "last": periods.LAST_YEAR})
        return day

    def clean_start(self):
        return self._clean_day("start")

    def clean_end(self):
        return self._clean_day("end")

    def clean(self):
        data = super().clean()
        if data.get("period") == periods.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not start:
                self.add_error("start", _("Укажите первый день периода."))
            if not end:
                self.add_error("end", _("Укажите последний день периода."))
            if start and end:
                if end < start:
                    self.add_error("end", _("Последний день периода раньше первого."))
                elif (end - start).days + 1 > periods.MAX_DAYS:
                    self.add_error("end", _("Период — не длиннее года (%(n)d дней).") % {"n": periods.MAX_DAYS})
        return data

    def period_for(self, today):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return periods.period_for(data.get("period") or periods.THIS_MONTH, today,
                                  start=data.get("start"), end=data.get("end"))
