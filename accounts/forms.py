"""Forms parse and check input; the services do the work."""

import math

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts import security, validators
from accounts.models import Membership, Organisation, User
from core.phones import PhoneField


def _taken(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


class KppField(forms.CharField):
    """КПП: letters in it are Latin capitals; people often type them in lower case."""

    def to_python(self, value):
        return super().to_python(value).upper()


class PersonFieldsMixin(forms.Form):
    """The person who registers: names, contacts, password, consent."""

    last_name = forms.CharField(
        label=_("Фамилия"),
        max_length=150,
        validators=[validators.validate_person_name],
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )
    first_name = forms.CharField(
        label=_("Имя"),
        max_length=150,
        validators=[validators.validate_person_name],
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    patronymic = forms.CharField(
        label=_("Отчество"),
        max_length=150,
        required=False,
        validators=[validators.validate_person_name],
        help_text=_("Если есть."),
        widget=forms.TextInput({"autocomplete": "additional-name"}),
    )
    email = forms.EmailField(
        label=_("Электронная почта"),
        max_length=254,
        help_text=_("Это ваш логин. Мы пришлём на неё ссылку для подтверждения."),
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    phone = PhoneField()
    password1 = forms.CharField(
        label=_("Пароль"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
        help_text=_("Не короче 12 символов; не только цифры и не похожий на ваши имя или почту."),
    )
    password2 = forms.CharField(
        label=_("Пароль ещё раз"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Без согласия на обработку персональных данных зарегистрироваться нельзя.")},
    )

    def __init__(self, *args, consent_document=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_document = consent_document
        url = reverse("accounts:consent_document", kwargs={"version": consent_document.version})
        self.fields["consent"].label = format_html(
            '{} <a href="{}" target="_blank" rel="noopener">{}</a> ({})',
            _("Я даю"),
            url,
            _("согласие на обработку моих персональных данных"),
            _("версия %(version)s") % {"version": consent_document.version},
        )

    organisation_legend = None
    organisation_field_names: tuple[str, ...] = ()
    person_field_names = ("last_name", "first_name", "patronymic", "email", "phone", "password1", "password2")

    def fieldsets(self):
        """(legend, bound fields) for the template; the consent checkbox is rendered on its own."""
        sets = []
        if self.organisation_field_names:
            sets.append((self.organisation_legend, [self[name] for name in self.organisation_field_names]))
        legend = _("Ваши данные") if not self.organisation_field_names else _("Кто регистрирует")
        sets.append((legend, [self[name] for name in self.person_field_names]))
        return sets

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if _taken(email):
            raise ValidationError(_("Пользователь с такой электронной почтой уже зарегистрирован."), code="taken")
        return email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", ValidationError(_("Пароли не совпадают."), code="password_mismatch"))
        elif password1:
            probe = User(
                email=cleaned.get("email") or "",
                last_name=cleaned.get("last_name") or "",
                first_name=cleaned.get("first_name") or "",
                patronymic=cleaned.get("patronymic") or "",
            )
            try:
                password_validation.validate_password(password1, user=probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def person_data(self) -> dict:
        c = self.cleaned_data
        return {
            "email": c["email"],
            "password": c["password1"],
            "last_name": c["last_name"],
            "first_name": c["first_name"],
            "patronymic": c["patronymic"],
            "phone": c["phone"],
        }


class ResidentRegistrationForm(PersonFieldsMixin):
    field_order = ["last_name", "first_name", "patronymic", "email", "phone", "password1", "password2", "consent"]


class _OrganisationDuplicateMixin:
    def _check_duplicate(self, inn, kpp):
        if inn and Organisation.objects.filter(inn=inn, kpp=kpp).exists():
            self.add_error(
                "inn",
                ValidationError(
                    _(
                        "Организация с таким ИНН и КПП уже зарегистрирована. "
                        "Попросите её администратора пригласить вас."
                    ),
                    code="duplicate",
                ),
            )


class OrganisationRegistrationForm(_OrganisationDuplicateMixin, PersonFieldsMixin):
    """A legal entity (юридическое лицо) and the person who registers it."""

    name = forms.CharField(
        label=_("Наименование организации"),
        max_length=300,
        validators=[validators.validate_organisation_name],
        help_text=_("Например, ООО «Ромашка»."),
    )
    inn = forms.CharField(
        label=_("ИНН"), max_length=10, validators=[validators.validate_inn_organisation], help_text=_("10 цифр.")
    )
    kpp = KppField(
        label=_("КПП"), max_length=9, validators=[validators.validate_kpp], help_text=_("9 символов.")
    )
    ogrn = forms.CharField(
        label=_("ОГРН"), max_length=13, validators=[validators.validate_ogrn], help_text=_("13 цифр.")
    )
    legal_address = forms.CharField(label=_("Юридический адрес"), max_length=500)
    contact_person = forms.CharField(label=_("Контактное лицо"), max_length=300)
    contact_position = forms.CharField(label=_("Должность контактного лица"), max_length=200)

    organisation_legend = _("Организация")
    organisation_field_names = ("name", "inn", "kpp", "ogrn", "legal_address", "contact_person", "contact_position")
    field_order = [
        "name", "inn", "kpp", "ogrn", "legal_address", "contact_person", "contact_position",
        "last_name", "first_name", "patronymic", "email", "phone", "password1", "password2", "consent",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("inn", "ogrn"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def clean(self):
        cleaned = super().clean()
        self._check_duplicate(cleaned.get("inn"), cleaned.get("kpp"))
        return cleaned

    def organisation_data(self) -> dict:
        c = self.cleaned_data
        return {
            "kind": Organisation.Kind.LEGAL_ENTITY,
            "name": c["name"],
            "inn": c["inn"],
            "kpp": c["kpp"],
            "ogrn": c["ogrn"],
            "legal_address": c["legal_address"],
            "contact_person": c["contact_person"],
            "contact_position": c["contact_position"],
        }


class SoleProprietorRegistrationForm(_OrganisationDuplicateMixin, PersonFieldsMixin):
    """A sole proprietor (ИП), who is also the person registering."""

    name = forms.CharField(
        label=_("Наименование"),
        max_length=300,
        validators=[validators.validate_organisation_name],
        help_text=_("Например, ИП Иванов Иван Иванович."),
    )
    inn = forms.CharField(
        label=_("ИНН"), max_length=12, validators=[validators.validate_inn_person], help_text=_("12 цифр.")
    )
    ogrn = forms.CharField(
        label=_("ОГРНИП"), max_length=15, validators=[validators.validate_ogrnip], help_text=_("15 цифр.")
    )
    legal_address = forms.CharField(label=_("Адрес"), max_length=500, help_text=_("Адрес регистрации ИП."))

    organisation_legend = _("Индивидуальный предприниматель")
    organisation_field_names = ("name", "inn", "ogrn", "legal_address")
    field_order = [
        "name", "inn", "ogrn", "legal_address",
        "last_name", "first_name", "patronymic", "email", "phone", "password1", "password2", "consent",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("inn", "ogrn"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def clean(self):
        cleaned = super().clean()
        self._check_duplicate(cleaned.get("inn"), "")
        return cleaned

    def organisation_data(self) -> dict:
        c = self.cleaned_data
        person = " ".join(p for p in (c.get("last_name"), c.get("first_name"), c.get("patronymic")) if p)
        return {
            "kind": Organisation.Kind.SOLE_PROPRIETOR,
            "name": c["name"],
            "inn": c["inn"],
            "kpp": "",
            "ogrn": c["ogrn"],
            "legal_address": c["legal_address"],
            "contact_person": person,
            "contact_position": "",
        }


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Неверная электронная почта или пароль."),
        "inactive": _("Учётная запись закрыта."),
        "email_unconfirmed": _(
            "Сначала подтвердите электронную почту: откройте ссылку из письма, которое мы прислали при регистрации."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Электронная почта")
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "inputmode": "email"})
        self.fields["password"].label = _("Пароль")

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.email_confirmed:
            raise ValidationError(self.error_messages["email_unconfirmed"], code="email_unconfirmed")


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label=_("Электронная почта"), max_length=254, widget=forms.EmailInput({"autocomplete": "email"})
    )


class ProfileForm(forms.Form):
    last_name = forms.CharField(label=_("Фамилия"), max_length=150, validators=[validators.validate_person_name])
    first_name = forms.CharField(label=_("Имя"), max_length=150, validators=[validators.validate_person_name])
    patronymic = forms.CharField(
        label=_("Отчество"), max_length=150, required=False, validators=[validators.validate_person_name]
    )
    phone = PhoneField(required=False)


class EmailChangeForm(forms.Form):
    """The password is checked first: only its owner learns whether the new address is registered.

    Wrong passwords are counted per user (accounts.security), so a stolen session cannot guess it.
    """

    email = forms.EmailField(label=_("Новая электронная почта"), max_length=254)
    password = forms.CharField(
        label=_("Текущий пароль"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput({"autocomplete": "current-password"}),
        help_text=_("Чтобы никто, кроме вас, не сменил ваш логин."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.too_many_attempts = False

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if email == self.user.email:
            raise ValidationError(_("Это ваш текущий адрес."), code="same")
        return email

    def clean(self):
        cleaned = super().clean()
        wait = security.password_check_wait_seconds(self.user.pk)
        if wait:
            self.too_many_attempts = True
            raise ValidationError(
                _(
                    "Вы несколько раз ввели неверный пароль. Чтобы защитить учётную запись, смена почты "
                    "недоступна ещё %(minutes)d мин. Если вы забыли пароль, выйдите и восстановите его по почте."
                )
                % {"minutes": math.ceil(wait / 60)},
                code="too_many_attempts",
            )
        password = cleaned.get("password")
        if password is None:
            return cleaned
        if not self.user.check_password(password):
            security.password_check_failed(self.user.pk)
            self.add_error("password", ValidationError(_("Неверный пароль."), code="wrong_password"))
            return cleaned
        email = cleaned.get("email")
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            self.add_error(
                "email",
                ValidationError(_("Пользователь с такой электронной почтой уже зарегистрирован."), code="taken"),
            )
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Электронная почта сотрудника"), max_length=254)
    role = forms.ChoiceField(label=_("Роль"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Роль"), choices=Membership.Role.choices)
