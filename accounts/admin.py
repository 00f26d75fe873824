"""Staff screens for people, organisations and consents. Writes go through services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import services, validators
from accounts.models import ClosureRequest, Consent, ConsentDocument, Invitation, Membership, Organisation, User
from audit.admin import HistoryAdmin, RecordsPersonalDataReads
from audit.models import PersonalDataRead
from core.admin import ReadOnlyAdmin


class UserCreationForm(forms.ModelForm):
    """Staff create accounts (mostly colleagues) with a password they pass on; the hash is never shown."""

    password1 = forms.CharField(label=_("Пароль"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Пароль ещё раз"), strip=False, widget=forms.PasswordInput)

    class Meta:
        model = User
        fields = ("email", "last_name", "first_name", "patronymic", "phone", "is_staff")

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("Пользователь с такой электронной почтой уже зарегистрирован."))
        return email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("Пароли не совпадают."))
        elif cleaned.get("password1"):
            try:
                password_validation.validate_password(cleaned["password1"], self.instance)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user


class CheckedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget re-renders a posted value by querying it: "abc" for an id was a 500.

    Values the target field cannot read are dropped from the re-rendered choice; the form field
    itself still reports them as an invalid choice beside the field.
    """

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(remote.field_name)

        ranges = connections[self.db or "default"].ops.integer_field_ranges
        low, high = ranges.get(target.get_internal_type(), (None, None))

        def readable(raw):
            try:
                python = target.to_python(raw)
            except ValidationError:
                return False
            # Beyond the column's range SQLite raises OverflowError on the query.
            return not isinstance(python, int) or (
                (low is None or python >= low) and (high is None or python <= high)
            )

        return super().optgroups(name, [v for v in value if readable(v)], attr)


class CheckedAutocompleteMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(CheckedAutocompleteMixin, admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(User)
class UserAdmin(RecordsPersonalDataReads, HistoryAdmin):
    list_display = ["email", "last_name", "first_name", "patronymic", "is_staff", "is_active", "email_confirmed_at"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "last_name", "first_name", "patronymic"]
    ordering = ["email"]
    # The password hash is never shown, not even masked: staff reset passwords by the mail flow.
    exclude = ["password"]
    readonly_fields = ["last_login", "date_joined", "email_confirmed_at"]
    filter_horizontal = ["groups", "user_permissions"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "email_confirmed_at"]}),
        (_("Личные данные"), {"fields": ["last_name", "first_name", "patronymic", "phone"]}),
        (_("Доступ"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Даты"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "password1", "password2"]}),
        (_("Личные данные"), {"fields": ["last_name", "first_name", "patronymic", "phone"]}),
        (_("Доступ"), {"fields": ["is_staff"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = UserCreationForm
        return super().get_form(request, obj, **kwargs)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_change_permission(self, request, obj=None):
        # Whoever may edit a superuser's email may reset its password by mail and become one.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only a superuser hands out superuser status and raw permissions; groups carry roles.
            readonly += ["is_superuser", "user_permissions"]
        return readonly


class OrganisationMembershipInline(CheckedAutocompleteMixin, admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


class OrganisationAdminForm(forms.ModelForm):
    """Staff edit an organisation with the same checks as registration: identifiers by kind, a clean name."""

    class Meta:
        model = Organisation
        fields = ["kind", "name", "inn", "kpp", "ogrn", "legal_address", "contact_person", "contact_position"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        validators.validate_organisation_name(name)
        return name

    def clean_kpp(self):
        return (self.cleaned_data.get("kpp") or "").upper()

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Organisation.Kind.LEGAL_ENTITY:
            checks = {
                "inn": validators.validate_inn_organisation,
                "kpp": validators.validate_kpp,
                "ogrn": validators.validate_ogrn,
            }
        elif kind == Organisation.Kind.SOLE_PROPRIETOR:
            checks = {"inn": validators.validate_inn_person, "ogrn": validators.validate_ogrnip}
            if cleaned.get("kpp"):
                self.add_error("kpp", _("У индивидуального предпринимателя нет КПП: оставьте поле пустым."))
        else:
            checks = {}
        for field, check in checks.items():
            if field in cleaned:
                try:
                    check(cleaned[field])
                except ValidationError as error:
                    self.add_error(field, error)
        return cleaned


@admin.register(Organisation)
class OrganisationAdmin(RecordsPersonalDataReads, HistoryAdmin):
    personal_data_kind = PersonalDataRead.Kind.ORGANISATION
    form = OrganisationAdminForm
    list_display = ["name", "kind", "inn", "kpp", "ogrn", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "=inn", "=ogrn"]
    readonly_fields = ["created_at"]
    inlines = [OrganisationMembershipInline]

    def personal_data_subject(self, obj):
        return {"organisation_id": obj.pk}


@admin.register(Membership)
class MembershipAdmin(CheckedAutocompleteMixin, HistoryAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__last_name", "organisation__name", "=organisation__inn"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "organisation",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    search_fields = ["email", "organisation__name", "=organisation__inn"]
    list_select_related = ["organisation", "invited_by"]
    # The token (a hash) is of no use to staff; invitations are made by organisation administrators.
    exclude = ["token"]
    readonly_fields = ["organisation", "email", "role", "invited_by", "created_at", "expires_at", "accepted_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ConsentDocument)
class ConsentDocumentAdmin(HistoryAdmin):
    list_display = ["version", "title", "published_at"]
    search_fields = ["version", "title"]

    def get_readonly_fields(self, request, obj=None):
        # A published text is evidence of what people agreed to: publish a new version instead of editing.
        return ["version", "title", "text", "published_at"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["user", "document", "given_at", "ip_address", "withdrawn_at"]
    list_filter = ["document"]
    search_fields = ["user__email", "user__last_name"]
    list_select_related = ["user", "document"]
    date_hierarchy = "given_at"


@admin.register(ClosureRequest)
class ClosureRequestAdmin(HistoryAdmin):
    list_display = ["user", "status", "created_at", "due_at", "is_overdue", "resolved_at", "resolved_by"]
    list_filter = ["status"]
    search_fields = ["user__email", "user__last_name"]
    list_select_related = ["user", "resolved_by"]
    readonly_fields = ["user", "consent", "status", "created_at", "due_at", "resolved_at", "resolved_by"]
    fields = ["user", "consent", "status", "created_at", "due_at", "resolved_at", "resolved_by", "staff_comment"]
    actions = ["mark_done", "mark_rejected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(boolean=True, description=_("просрочен"))
    def is_overdue(self, obj):
        return obj.status == ClosureRequest.Status.OPEN and obj.due_at < timezone.now()

    def _resolve(self, request, queryset, status):
        resolved = 0
        for closure in queryset.filter(status=ClosureRequest.Status.OPEN):
            try:
                services.closure_request_resolve(closure_request_id=closure.pk, staff_user=request.user, status=status)
            except ValidationError:
                continue
            resolved += 1
        self.message_user(request, _("Закрыто запросов: %(n)d.") % {"n": resolved}, messages.SUCCESS)

    @admin.action(description=_("Выполнено: обработка прекращена, учётная запись закрыта"), permissions=["change"])
    def mark_done(self, request, queryset):
        self._resolve(request, queryset, ClosureRequest.Status.DONE)

    @admin.action(description=_("Отклонить: есть иное законное основание обработки"), permissions=["change"])
    def mark_rejected(self, request, queryset):
        self._resolve(request, queryset, ClosureRequest.Status.REJECTED)
