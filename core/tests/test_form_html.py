"""core/form_html.py draws what crispy-forms draws: the same HTML for every kind of field the portal uses."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import SimpleTestCase

from appeals.files import APPEAL_FILES
from appeals.forms import AppealForm, RateForm, ReopenForm, ReplyForm, WithdrawForm
from core.form_html import render_field, render_form, render_widget
from core.forms import CheckedFilesField

KEY = "8938888c-2fa1-416b-9189-a2be6fe2dd7c"


class EveryKind(forms.Form):
    """One field of each widget the portal's forms use, with help texts, optional and required ones."""

    name = forms.CharField(label="Имя", max_length=50, help_text="Как к вам <b>обращаться</b>")
    email = forms.EmailField(label="Почта", required=False)
    password = forms.CharField(label="Пароль", widget=forms.PasswordInput)
    count = forms.IntegerField(label="Сколько", min_value=1, required=False)
    when = forms.DateTimeField(label="Когда", required=False,
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    text = forms.CharField(label="Текст", widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}))
    kind = forms.ChoiceField(label="Вид", choices=[("a", "Первый"), ("b", "Второй & третий")])
    contract = forms.ChoiceField(label="Договор", required=False, choices=[
        ("", "Не относится к договору"), ("Мои & ваши", [("1", "№ 1, <ул. Ленина>"), ("2", "№ 2")]), ("3", "№ 3")])
    many = forms.MultipleChoiceField(label="Несколько", choices=[("x", "Икс"), ("y", "Игрек")], required=False)
    rating = forms.TypedChoiceField(label="Оценка", coerce=int, choices=[(n, str(n)) for n in range(1, 4)],
                                    widget=forms.RadioSelect, help_text="3 — отлично")
    grouped = forms.ChoiceField(label="С группами", widget=forms.RadioSelect, required=False,
                                choices=[("Группа", [("g1", "Один"), ("g2", "Два")]), ("solo", "Один сам")])
    topics = forms.MultipleChoiceField(label="Темы", widget=forms.CheckboxSelectMultiple,
                                       choices=[("t1", "Тема 1"), ("t2", "Тема 2")])
    consent = forms.BooleanField(label="Согласен на обработку", help_text="152-ФЗ")
    optional_box = forms.BooleanField(label="Подписка", required=False)
    files = CheckedFilesField(policy=APPEAL_FILES, label="Файлы", help_text="PDF, до 10 МБ")
    one_file = forms.FileField(label="Один файл")
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    unlabelled = forms.CharField(label="", required=False)

    def clean(self):
        raise forms.ValidationError("Форма целиком неверна.")


def bad_data():
    return {"name": "", "email": "not-an-email", "count": "0", "when": "вчера", "text": "", "kind": "zzz",
            "many": ["q"], "contract": "2", "rating": "9", "grouped": "g2", "topics": [], "consent": "", "hidden": "h"}


def pairs():
    """(label, make): `make()` builds a fresh form, so that crispy's changes to one never reach the other."""
    yield "every kind, empty", lambda: EveryKind()
    yield "every kind, errors", lambda: _validated(EveryKind(bad_data(), {}))
    yield "every kind, file errors", lambda: _validated(
        EveryKind(bad_data(), {"files": [SimpleUploadedFile("a.exe", b"MZ" * 100)]}))
    yield "every kind, initial", lambda: EveryKind(
        initial={"kind": "b", "rating": 2, "topics": ["t2"], "consent": True})
    yield "every kind, text with markup", lambda: _validated(EveryKind(
        {**bad_data(), "name": 'Ко "мне" & <b>', "text": "строка 1\n<script>", "contract": "1"}, {}))
    yield "appeal, empty", lambda: AppealForm(initial={"idempotency_key": KEY})
    yield "appeal, errors", lambda: _validated(
        AppealForm({"kind": "x", "answer_channel": "post", "idempotency_key": KEY}, {}))
    yield "reply", lambda: _validated(ReplyForm({"text": ""}, {}))
    yield "rate", lambda: _validated(RateForm({"rating": "7"}))
    yield "reopen", lambda: ReopenForm()
    yield "withdraw", lambda: WithdrawForm()


def _validated(form):
    form.is_valid()
    return form


class TestSameMarkupAsCrispy(SimpleTestCase):
    def test_every_field(self):
        for label, make in pairs():
            theirs, ours = make(), make()
            for name in theirs.fields:
                with self.subTest(form=label, field=name):
                    self.assertHTMLEqual(str(render_field(ours[name])), str(as_crispy_field(theirs[name])))

    def test_whole_forms(self):
        for label, make in pairs():
            with self.subTest(form=label):
                self.assertHTMLEqual(str(render_form(make())), str(as_crispy_form(make())))

    def test_filters_in_a_template(self):
        template = Template("{% load portal_tags %}{{ form.name|crispy_field }}|{{ form|crispy_form }}")
        theirs = Template("{% load crispy_forms_tags %}{{ form.name|as_crispy_field }}|{{ form|crispy }}")
        form = _validated(EveryKind(bad_data(), {}))
        ours_html = template.render(Context({"form": form})).split("|")
        theirs_html = theirs.render(Context({"form": _validated(EveryKind(bad_data(), {}))})).split("|")
        self.assertHTMLEqual(ours_html[0], theirs_html[0])
        self.assertHTMLEqual(ours_html[1], theirs_html[1])

    def test_widgets_exactly_as_django_draws_them(self):
        """The inputs, text areas and selects written in Python: character for character Django's templates."""
        for label, make in pairs():
            form = make()
            for name in form.fields:
                for attrs in ({}, {"class": "form-select is-invalid"}):
                    with self.subTest(form=label, field=name, attrs=attrs):
                        self.assertEqual(str(render_widget(form[name], dict(attrs))), form[name].as_widget(attrs=attrs))

    def test_errors_and_help_are_tied_to_the_input(self):
        form = _validated(EveryKind(bad_data(), {}))
        html = str(render_field(form["name"]))
        assert 'aria-invalid="true"' in html
        assert 'id="id_name_error"' in html and 'id="id_name_helptext"' in html
        assert "Как к вам <b>обращаться</b>" in html


@pytest.mark.parametrize("value", ["<script>alert(1)</script>"])
def test_user_text_is_escaped(value):
    form = EveryKind({"name": value, "kind": value})
    form.is_valid()
    html = str(render_field(form["name"])) + str(render_field(form["kind"]))
    assert "<script>" not in html
