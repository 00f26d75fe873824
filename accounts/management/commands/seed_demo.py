"""Demo people for a development machine: `make run` loads them. Safe to run again.

The domains above accounts (contracts, …) add their own demo data: an app with a `demo` module has its
`seed(people=..., organisation=..., now=...)` called here, and the lines it returns are printed after the
table. Accounts never imports them by name (a lower floor never imports a higher one).

Each staff account gets a confirmed TOTP device (staffauth's second factor); its base32 secret is
printed beside the password, so the admin can be tried with any authenticator app. The secret is kept
across runs: an app set up once keeps working.
"""

import base64
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles, selectors, services
from accounts.models import Membership, Organisation, User

# Made-up identifiers with valid check digits (not a real company's).
DEMO_ORGANISATION = {
    "kind": Organisation.Kind.LEGAL_ENTITY,
    "name": "ООО «Демо-Завод»",
    "inn": "7701000019",
    "kpp": "770101001",
    "ogrn": "1027700000019",
    "legal_address": "г. Москва, ул. Демонстрационная, д. 1",
    "contact_person": "Петров Пётр Петрович",
    "contact_position": "главный энергетик",
}

DEMO_PEOPLE = [
    # email, password, last, first, patronymic, what they are
    ("resident@demo.example", "Demo-Resident-2026", "Иванова", "Мария", "Сергеевна", "resident"),
    ("org.admin@demo.example", "Demo-OrgAdmin-2026", "Петров", "Пётр", "Петрович", "org_admin"),
    ("org.member@demo.example", "Demo-OrgMember-2026", "Сидоров", "Алексей", "Игоревич", "org_member"),
    ("operator@demo.example", "Demo-Operator-2026", "Кузнецова", "Анна", "Викторовна", "operator"),
    ("supervisor@demo.example", "Demo-Supervisor-2026", "Смирнов", "Олег", "Николаевич", "supervisor"),
    ("editor@demo.example", "Demo-Editor-2026", "Орлова", "Екатерина", "Андреевна", "content_editor"),
    ("admin@demo.example", "Demo-Superuser-2026", "Администратор", "Системный", "", "superuser"),
]

ROLE_LABELS = {
    "resident": "житель (физическое лицо)",
    "org_admin": "администратор организации",
    "org_member": "сотрудник организации",
    "operator": "оператор (Операторы)",
    "supervisor": "руководитель (Руководители)",
    "content_editor": "редактор контента (Редакторы контента)",
    "superuser": "суперпользователь",
}


class Command(BaseCommand):
    help = "Creates demo accounts for development (refuses to run with DEBUG off)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo creates accounts with published passwords: it runs only with DEBUG=true.")
        now = timezone.now()
        document = selectors.current_consent_document()
        self.secrets = {}
        people = {}
        with transaction.atomic():
            organisation, _created = Organisation.objects.get_or_create(
                inn=DEMO_ORGANISATION["inn"], kpp=DEMO_ORGANISATION["kpp"], defaults=DEMO_ORGANISATION
            )
            for email, password, last_name, first_name, patronymic, kind in DEMO_PEOPLE:
                user = self._person(email, password, last_name, first_name, patronymic, kind, now)
                people[kind] = user
                services.consent_give(user=user, document=document, ip_address="127.0.0.1", now=now)
                if kind in ("org_admin", "org_member"):
                    role = Membership.Role.ADMIN if kind == "org_admin" else Membership.Role.MEMBER
                    Membership.objects.update_or_create(user=user, organisation=organisation, defaults={"role": role})
                if kind == "operator":
                    user.groups.add(Group.objects.get(name=roles.OPERATORS))
                if kind == "supervisor":
                    user.groups.add(Group.objects.get(name=roles.SUPERVISORS))
                if kind == "content_editor":
                    user.groups.add(Group.objects.get(name=roles.CONTENT_EDITORS))
                if user.is_staff:
                    self.secrets[email] = self._totp_secret(user)
            domain_lines = []
            for config in apps.get_app_configs():
                ours = str(config.path).startswith(str(settings.BASE_DIR)) and config.name != "accounts"
                if ours and module_has_submodule(config.module, "demo"):
                    demo = import_module(f"{config.name}.demo")
                    domain_lines += demo.seed(people=people, organisation=organisation, now=now)
        self._print_table()
        for line in domain_lines:
            self.stdout.write(line)
        if domain_lines:
            self.stdout.write("")

    def _person(self, email, password, last_name, first_name, patronymic, kind, now):
        staff = kind in ("operator", "supervisor", "content_editor", "superuser")
        user = User.objects.filter(email=email).first() or User(email=email, date_joined=now)
        user.last_name, user.first_name, user.patronymic = last_name, first_name, patronymic
        user.is_active = True
        user.is_staff = staff
        user.is_superuser = kind == "superuser"
        user.email_confirmed_at = user.email_confirmed_at or now
        # Reset every time, so the printed passwords always work.
        user.set_password(password)
        user.save()
        return user

    def _totp_secret(self, user) -> str:
        """The demo staff member's confirmed authenticator (made once, then kept): its base32 secret."""
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Демо: приложение-аутентификатор", confirmed=True)
        return base64.b32encode(device.bin_key).decode()

    def _print_table(self):
        header = ("Логин", "Пароль", "Секрет TOTP (base32)", "Кто это")
        rows = [
            (email, password, self.secrets.get(email, "—"), ROLE_LABELS[kind])
            for email, password, *_rest, kind in DEMO_PEOPLE
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        line = "  ".join("-" * w for w in widths)
        self.stdout.write("")
        self.stdout.write("Демо-пользователи (только для разработки):")
        self.stdout.write("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
        self.stdout.write(line)
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        self.stdout.write(f"Организация: {DEMO_ORGANISATION['name']}, ИНН {DEMO_ORGANISATION['inn']}")
        self.stdout.write(
            "Сотрудники входят в /admin/ с паролем и кодом из приложения-аутентификатора: добавьте в него "
            "секрет TOTP (base32) из таблицы."
        )
        self.stdout.write("")
