"""People, organisations they act for, and their consents (152-ФЗ)."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from audit import history as audit_history


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_confirmed_at", timezone.now())
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: a resident, an organisation's employee, or staff.

    Email is the login. An account cannot act until the email is confirmed.
    """

    email = models.EmailField(_("электронная почта"), max_length=254, unique=True)
    last_name = models.CharField(_("фамилия"), max_length=150, blank=True)
    first_name = models.CharField(_("имя"), max_length=150, blank=True)
    patronymic = models.CharField(_("отчество"), max_length=150, blank=True)
    phone = PhoneNumberField(_("телефон"), blank=True)
    is_staff = models.BooleanField(pgettext_lazy("staff of the company", "сотрудник"), default=False)
    is_active = models.BooleanField(_("активен"), default=True)
    date_joined = models.DateTimeField(_("дата регистрации"), default=timezone.now)
    email_confirmed_at = models.DateTimeField(_("почта подтверждена"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        # Emails are compared case-insensitively everywhere; store them lowercased.
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        super().save(*args, **kwargs)

    def _get_session_auth_hash(self, secret=None):
        # Django ties a session to the password hash; we tie it to the login email too, so that
        # confirming a new email ends every other session, as a password change does.
        return salted_hmac(
            "accounts.User.get_session_auth_hash", f"{self.password}\x00{self.email}", secret=secret, algorithm="sha256"
        ).hexdigest()

    def get_full_name(self):
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    def get_short_name(self):
        return self.first_name or self.email

    @property
    def email_confirmed(self):
        return self.email_confirmed_at is not None


class Organisation(models.Model):
    """A legal entity (юридическое лицо) or a sole proprietor (ИП) that is our customer."""

    class Kind(models.TextChoices):
        LEGAL_ENTITY = "legal", _("юридическое лицо")
        SOLE_PROPRIETOR = "sole", _("индивидуальный предприниматель")

    kind = models.CharField(_("вид"), max_length=5, choices=Kind.choices)
    name = models.CharField(_("наименование"), max_length=300)
    inn = models.CharField(_("ИНН"), max_length=12, db_index=True)
    kpp = models.CharField(_("КПП"), max_length=9, blank=True)
    ogrn = models.CharField(_("ОГРН / ОГРНИП"), max_length=15)
    legal_address = models.CharField(_("юридический адрес"), max_length=500, blank=True)
    contact_person = models.CharField(_("контактное лицо"), max_length=300, blank=True)
    contact_position = models.CharField(_("должность контактного лица"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations", verbose_name=_("сотрудники")
    )

    class Meta:
        verbose_name = _("организация")
        verbose_name_plural = _("организации")
        constraints = [
            # КПП is blank for sole proprietors, so (ИНН, "") is unique for them too.
            models.UniqueConstraint(fields=["inn", "kpp"], name="accounts_org_inn_kpp_unique"),
        ]

    def __str__(self):
        return gettext("%(name)s (ИНН %(inn)s)") % {"name": self.name, "inn": self.inn}


class Membership(models.Model):
    """A user acting for an organisation, with a role."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("администратор")
        MEMBER = "member", _("сотрудник")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("роль"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    # Administrators always may; for members the organisation's administrator decides.
    may_submit_readings = models.BooleanField(_("может передавать показания"), default=False)
    # Balances, charges, payments and the organisation's documents (billing.access); administrators always see them.
    may_see_finances = models.BooleanField(_("видит начисления и документы"), default=False)
    created_at = models.DateTimeField(_("добавлен"), auto_now_add=True)

    class Meta:
        verbose_name = _("участие в организации")
        verbose_name_plural = _("участие в организациях")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="accounts_membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


class Invitation(models.Model):
    """An organisation administrator's invitation for a colleague, sent by email."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("электронная почта"))
    role = models.CharField(_("роль"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    # SHA-256 of the link's secret: a leaked database does not leak working links.
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("пригласил")
    )
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    expires_at = models.DateTimeField(_("действует до"))
    accepted_at = models.DateTimeField(_("принято"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("отозвано"), null=True, blank=True)

    class Meta:
        verbose_name = _("приглашение")
        verbose_name_plural = _("приглашения")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email"], name="accounts_invitation_email")]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    def is_pending(self, now):
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class ConsentDocument(models.Model):
    """A published version of the consent text for personal-data processing."""

    version = models.CharField(_("версия"), max_length=20, unique=True)
    title = models.CharField(_("заголовок"), max_length=200)
    text = models.TextField(_("текст"))
    published_at = models.DateTimeField(_("опубликован"), default=timezone.now)

    class Meta:
        verbose_name = _("текст согласия")
        verbose_name_plural = _("тексты согласия")
        ordering = ["-published_at"]

    def __str__(self):
        return f"{self.title} (v{self.version})"


class Consent(models.Model):
    """One consent given by a person: which text, when and from which address."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents")
    document = models.ForeignKey(ConsentDocument, on_delete=models.PROTECT, related_name="consents")
    given_at = models.DateTimeField(_("дано"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("отозвано"), null=True, blank=True)

    class Meta:
        verbose_name = _("согласие на обработку ПДн")
        verbose_name_plural = _("согласия на обработку ПДн")
        ordering = ["-given_at"]

    def __str__(self):
        return f"{self.user} — v{self.document.version}"

    @property
    def is_active(self):
        return self.withdrawn_at is None


class ClosureRequest(models.Model):
    """A request to close an account and stop processing, opened by withdrawing consent.

    Staff must act within 30 days (152-ФЗ ст. 21 ч. 5).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("открыт")
        DONE = "done", _("выполнен")
        REJECTED = "rejected", _("отклонён (есть иное законное основание)")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="closure_requests")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(_("статус"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("создан"), default=timezone.now)
    due_at = models.DateTimeField(_("срок"))
    resolved_at = models.DateTimeField(_("закрыт"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    staff_comment = models.TextField(_("комментарий сотрудника"), blank=True)

    class Meta:
        verbose_name = _("запрос на закрытие учётной записи")
        verbose_name_plural = _("запросы на закрытие учётной записи")
        ordering = ["due_at"]
        indexes = [models.Index(fields=["status", "due_at"], name="accounts_closure_queue")]

    def __str__(self):
        return f"{self.user} ({self.get_status_display()})"


# The audit trail (audit.history): who changed these, when, from where, before → after.
# The password hash and the last login stay out of it: secrets, and not a change anyone made.
audit_history.register(User, exclude=("password", "last_login"))
audit_history.register(Organisation)
audit_history.register(Membership)
audit_history.register(ConsentDocument)
audit_history.register(Consent)
audit_history.register(ClosureRequest)
