"""Forms for customers (the cabinet) and for staff (the admin). They validate; services act."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from appeals.files import APPEAL_FILES
from appeals.models import Appeal
from core.forms import CheckedFilesField, IdempotencyKeyMixin
from core.phones import PhoneField

TEXT_MAX_LENGTH = 20000
AS_MYSELF = ""


class AttachmentsField(CheckedFilesField):
    """Up to five files of an appeal, each checked by its content; cleans to a list of CheckedFile."""

    def __init__(self, **kwargs):
        super().__init__(policy=APPEAL_FILES, **kwargs)


def _contract_label(contract) -> str:
    return f"№ {contract.number}, {contract.address}" if contract.address else f"№ {contract.number}"


class AppealForm(IdempotencyKeyMixin, forms.Form):
    organisation = forms.TypedChoiceField(
        label=_("От чьего имени"), coerce=str, required=False, empty_value=AS_MYSELF,
        widget=forms.RadioSelect,
    )
    contract = forms.ChoiceField(
        label=_("Договор или лицевой счёт"), required=False,
        error_messages={"invalid_choice": _("Выберите договор из списка.")},
        help_text=_(
            "Если обращение касается одного из ваших договоров, выберите его: сотрудник сразу увидит, о чём речь."
        ),
    )
    kind = forms.ChoiceField(label=_("Вид обращения"), choices=Appeal.Kind.choices)
    topic = forms.ChoiceField(label=_("Тема"), choices=Appeal.Topic.choices)
    subject = forms.CharField(label=_("Кратко, о чём обращение"), max_length=200)
    text = forms.CharField(
        label=_("Текст обращения"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Изложите суть: что произошло, номер лицевого счёта или договора, чего вы ожидаете."),
    )
    files = AttachmentsField(
        label=_("Файлы"),
        help_text=_("До 5 файлов PDF, JPEG, PNG, DOCX или XLSX, каждый не больше 10 МБ."),
    )
    answer_channel = forms.ChoiceField(
        label=_("Как получить ответ"), choices=Appeal.AnswerChannel.choices, initial=Appeal.AnswerChannel.CABINET,
        widget=forms.RadioSelect,
    )
    postal_address = forms.CharField(
        label=_("Почтовый адрес для ответа"), max_length=500, required=False,
        help_text=_("Индекс, город, улица, дом, квартира — если выбран ответ почтой."),
    )

    def __init__(self, *args, memberships=(), for_organisation=None, bindings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(m.organisation_id): m.organisation for m in memberships}
        # Contract number -> the organisation it is bound to (None: bound to the user personally).
        self.contract_owners = {b.contract.number: b.organisation_id for b in bindings}
        if bindings:
            names = {m.organisation_id: m.organisation.name for m in memberships}
            personal = [(b.contract.number, _contract_label(b.contract)) for b in bindings if b.user_id]
            groups = {}
            for b in bindings:
                if b.organisation_id:
                    groups.setdefault(names.get(b.organisation_id, ""), []).append(
                        (b.contract.number, _contract_label(b.contract))
                    )
            self.fields["contract"].choices = [
                ("", _("Не относится к конкретному договору")),
                *([(_("Мои лицевые счета"), personal)] if personal else []),
                *groups.items(),
            ]
        else:
            del self.fields["contract"]
        if self.organisations:
            self.fields["organisation"].choices = [(AS_MYSELF, _("От себя лично"))] + [
                (pk, org.name) for pk, org in self.organisations.items()
            ]
            # An employee filing from their organisation's page, or who belongs to one
            # organisation only, files for it unless they choose otherwise.
            if for_organisation is not None and str(for_organisation) in self.organisations:
                self.initial.setdefault("organisation", str(for_organisation))
            elif len(self.organisations) == 1:
                self.initial.setdefault("organisation", next(iter(self.organisations)))
        else:
            del self.fields["organisation"]

    def clean_organisation(self):
        value = self.cleaned_data.get("organisation") or AS_MYSELF
        if value != AS_MYSELF and value not in self.organisations:
            raise ValidationError(_("Выберите организацию из списка."))
        return self.organisations.get(value)

    def clean_subject(self):
        value = self.cleaned_data["subject"].strip()
        if not value:
            raise ValidationError(_("Обязательное поле."))
        return value

    def clean_text(self):
        value = self.cleaned_data["text"].strip()
        if len(value) < 10:
            raise ValidationError(_("Опишите суть обращения подробнее — хотя бы несколько слов."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer_channel") == Appeal.AnswerChannel.POST and not cleaned.get("postal_address", "").strip():
            self.add_error("postal_address", _("Укажите почтовый адрес, на который отправить ответ."))
        number = cleaned.get("contract")
        if number and "organisation" not in self.errors:
            organisation = cleaned.get("organisation")
            owner = self.contract_owners[number]
            if organisation is None and owner is not None:
                self.add_error(
                    "contract", _("Это договор организации: выберите её в поле «От чьего имени» или другой договор.")
                )
            elif organisation is not None and owner != organisation.pk:
                self.add_error("contract", _("Этот договор не относится к выбранной организации."))
        return cleaned


class ShownStatusForm(forms.Form):
    """Carries the status the customer's page showed, so an action on a changed appeal is a conflict."""

    shown_status = forms.ChoiceField(choices=Appeal.Status.choices, widget=forms.HiddenInput, required=False)
    # Several of these forms share the appeal's page: each has its own ids (no duplicate id_comment).
    id_prefix = "action"

    def __init__(self, *args, appeal=None, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        if appeal is not None and not self.is_bound:
            self.initial["shown_status"] = appeal.status


class ReplyForm(ShownStatusForm):
    id_prefix = "reply"
    text = forms.CharField(label=_("Ваш ответ"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5}))
    files = AttachmentsField(label=_("Файлы"), help_text=_("PDF, JPEG, PNG, DOCX или XLSX, каждый не больше 10 МБ."))

    def __init__(self, *args, already_attached=0, **kwargs):
        # Several of the appeal page's forms share field names: each keeps its own ids (one page, unique ids).
        kwargs.setdefault("auto_id", "id_reply_%s")
        super().__init__(*args, **kwargs)
        self.fields["files"].already_attached = already_attached
        appeal = kwargs.get("appeal")
        if appeal is not None and appeal.status != Appeal.Status.WAITING_FOR_CUSTOMER:
            self.fields["text"].label = _("Сообщение")


class WithdrawForm(ShownStatusForm):
    id_prefix = "withdraw"
    comment = forms.CharField(
        label=_("Причина (необязательно)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        # Several of the appeal page's forms share field names: each keeps its own ids (one page, unique ids).
        kwargs.setdefault("auto_id", "id_withdraw_%s")
        super().__init__(*args, **kwargs)


class RateForm(ShownStatusForm):
    id_prefix = "rate"
    rating = forms.TypedChoiceField(
        label=_("Как вы оцениваете ответ и работу с обращением?"), coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect, help_text=_("5 — отлично, 1 — очень плохо."),
        error_messages={"required": _("Поставьте оценку от 1 до 5.")},
    )
    solved = forms.TypedChoiceField(
        label=_("Ваш вопрос решён?"), choices=[("yes", _("да")), ("no", _("нет"))],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect,
        error_messages={"required": _("Ответьте, решён ли вопрос: да или нет.")},
    )
    supply_rating = forms.TypedChoiceField(
        label=_("Как вы оцениваете электроснабжение: надёжность и качество электроэнергии?"), coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect, help_text=_("5 — отлично, 1 — очень плохо."),
        error_messages={"required": _("Оцените электроснабжение от 1 до 5.")},
    )
    comment = forms.CharField(
        label=_("Комментарий"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        # Several of the appeal page's forms share field names: each keeps its own ids (one page, unique ids).
        kwargs.setdefault("auto_id", "id_rate_%s")
        super().__init__(*args, **kwargs)


class ReopenForm(ShownStatusForm):
    id_prefix = "reopen"
    comment = forms.CharField(
        label=_("Что осталось нерешённым"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        # Several of the appeal page's forms share field names: each keeps its own ids (one page, unique ids).
        kwargs.setdefault("auto_id", "id_reopen_%s")
        super().__init__(*args, **kwargs)


# --- staff (admin) ---------------------------------------------------------------------------


class StaffRegisterForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Как поступило"),
        choices=[(c.value, c.label) for c in (Appeal.Channel.EMAIL, Appeal.Channel.PHONE, Appeal.Channel.POST,
                                              Appeal.Channel.OFFICE)],
    )
    received_at = forms.DateTimeField(
        label=_("Дата и время поступления"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M"],
    )
    author_email = forms.EmailField(
        label=_("Учётная запись заявителя (почта)"), required=False,
        help_text=_("Если у заявителя есть личный кабинет: ответ появится и там."),
    )
    organisation_inn = forms.CharField(label=_("ИНН организации"), max_length=12, required=False)
    contact_name = forms.CharField(label=_("Заявитель (ФИО или наименование)"), max_length=300, required=False)
    contact_email = forms.EmailField(label=_("Электронная почта"), required=False)
    contact_phone = PhoneField(required=False)
    kind = forms.ChoiceField(label=_("Вид"), choices=Appeal.Kind.choices)
    topic = forms.ChoiceField(label=_("Тема"), choices=Appeal.Topic.choices)
    subject = forms.CharField(label=_("Предмет обращения"), max_length=200)
    text = forms.CharField(label=_("Текст обращения"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea)
    answer_channel = forms.ChoiceField(label=_("Способ ответа"), choices=Appeal.AnswerChannel.choices,
                                       initial=Appeal.AnswerChannel.POST)
    postal_address = forms.CharField(label=_("Почтовый адрес"), max_length=500, required=False)
    files = AttachmentsField(label=_("Файлы (скан письма и приложения)"))

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value > timezone.now():
            raise ValidationError(_("Дата поступления не может быть в будущем."))
        return value

    def clean_author_email(self):
        email = self.cleaned_data["author_email"].strip().lower()
        if not email:
            return None
        user = User.objects.filter(email=email, is_staff=False).first()
        if user is None:
            raise ValidationError(_("Пользователь с такой почтой не найден."))
        return user

    def clean_organisation_inn(self):
        inn = self.cleaned_data["organisation_inn"].strip()
        if not inn:
            return None
        from accounts.models import Organisation

        organisations = list(Organisation.objects.filter(inn=inn)[:2])
        if not organisations:
            raise ValidationError(_("Организация с таким ИНН не найдена."))
        if len(organisations) > 1:
            raise ValidationError(_("С этим ИНН несколько организаций (филиалы): выберите заявителя по почте."))
        return organisations[0]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("author_email") and not cleaned.get("contact_name", "").strip():
            self.add_error("contact_name", _("Укажите заявителя или его учётную запись."))
        if cleaned.get("answer_channel") == Appeal.AnswerChannel.POST and not cleaned.get("postal_address", "").strip():
            self.add_error("postal_address", _("Укажите почтовый адрес, на который отправить ответ."))
        if cleaned.get("answer_channel") == Appeal.AnswerChannel.EMAIL and not (
            cleaned.get("contact_email") or cleaned.get("author_email")
        ):
            self.add_error("contact_email", _("Для ответа по электронной почте нужен адрес почты."))
        if cleaned.get("answer_channel") == Appeal.AnswerChannel.CABINET and not cleaned.get("author_email"):
            self.add_error("answer_channel", _("Ответ в личном кабинете возможен, только если указана учётная запись."))
        return cleaned


class VersionedForm(forms.Form):
    """Carries the appeal version the page was rendered with (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AssignForm(VersionedForm):
    assignee = forms.ModelChoiceField(label=_("Исполнитель"), queryset=User.objects.none(), required=False,
                                      empty_label=_("— не назначен —"))

    def __init__(self, *args, assignees=None, **kwargs):
        super().__init__(*args, **kwargs)
        if assignees is not None:
            self.fields["assignee"].queryset = assignees


class TransitionForm(VersionedForm):
    to = forms.ChoiceField(label=_("Действие"), choices=Appeal.Status.choices, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Комментарий (виден заявителю)"), max_length=TEXT_MAX_LENGTH, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StaffMessageForm(VersionedForm):
    text = forms.CharField(label=_("Текст"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
    internal = forms.BooleanField(
        label=_("Внутренняя заметка (заявитель её не увидит)"), required=False, initial=True
    )
    files = AttachmentsField(label=_("Файлы"))


class ExtendForm(VersionedForm):
    amount = forms.IntegerField(label=_("На сколько продлить"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("Причина (будет сообщена заявителю)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RedirectForm(VersionedForm):
    organisation_name = forms.CharField(label=_("Организация, куда направлено"), max_length=300)
    # A date input's value is ISO (YYYY-MM-DD) whatever the language; the Russian format left it empty.
    sent_on = forms.DateField(
        label=_("Дата направления"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    comment = forms.CharField(label=_("Пояснение для заявителя"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, appeal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.appeal = appeal
        if appeal is not None:
            tz = timezone.get_default_timezone()
            self.fields["sent_on"].widget.attrs.update(
                min=timezone.localtime(appeal.received_at, tz).date().isoformat(),
                max=timezone.localtime(timezone.now(), tz).date().isoformat(),
            )

    def clean_sent_on(self):
        # The same check the service makes under its lock: from the day the appeal arrived up to today.
        from appeals.services.staff import check_redirect_date

        value = self.cleaned_data["sent_on"]
        try:
            check_redirect_date(value, now=timezone.now(),
                                received_at=self.appeal.received_at if self.appeal is not None else None)
        except ValidationError as error:
            raise ValidationError(error.message_dict["sent_on"]) from None
        return value

