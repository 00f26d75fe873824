"""Every domain uses core's one helper for a shared concern, never its own copy."""

import pytest
from django.utils.module_loading import import_string

from core.phones import PhoneField


@pytest.mark.parametrize(
    ("form_path", "field"),
    [
        ("accounts.forms.ResidentRegistrationForm", "phone"),
        ("pages.forms.VisitorQuestionForm", "phone"),
        ("appeals.forms.StaffRegisterForm", "contact_phone"),
    ],
)
def test_every_form_that_takes_a_phone_uses_the_one_field(form_path, field):
    assert isinstance(import_string(form_path).base_fields[field], PhoneField)
