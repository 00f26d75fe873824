"""Generate a realistic volume of customers and appeals for load tests.

    .venv/bin/python bench/seed_bench.py --customers 100000 --appeals 1000000

Each customer also gets a bound residential account (issue 12: `--accounts`, default one per customer) with
a supply point and one or two meters (`--meters`, default 1.5 per account) and monthly readings
(`--readings`, default 30 per account: 100,000 accounts → 150,000 meters, 3,000,000 readings). Every bench
account's binding code is `BENCH234`.

PostgreSQL is filled with COPY (about a minute per million appeals); other
databases with bulk_create in large batches. Customers log in as
bench-customer-<n>@example.ru, operators as bench-operator-<n>@example.ru and
the supervisor as bench-supervisor@example.ru, all with --password.
"""

import io
import os
import random
import sys
import time
import uuid
from bisect import bisect
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from pathlib import Path

if __name__ == "__main__":  # run as a script: Django is set up before the models are imported
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, Organisation, User
from appeals.models import Appeal, AppealEvent, AppealNumberCounter
from bench import bench_totp
from contracts.codes import hash_binding_code
from contracts.models import Contract, ContractBinding, Meter, Reading, SupplyPoint, Tariff
from deadlines import services as deadline_services
from surveys.models import Survey

S = Appeal.Status

KINDS = [("request", 40), ("application", 25), ("complaint", 20), ("claim", 10), ("suggestion", 5)]
TOPICS = [("billing", 35), ("metering", 25), ("power_quality", 8), ("contract", 10), ("connection", 7),
          ("restriction", 5), ("account", 5), ("other", 5)]
CHANNELS = [("cabinet", 70), ("site", 5), ("email", 10), ("phone", 5), ("post", 7), ("office", 3)]
# What an appeal of a given age is most likely to be doing now.
STATUSES_RECENT = [(S.REGISTERED, 30), (S.IN_PROGRESS, 38), (S.WAITING_FOR_CUSTOMER, 10), (S.ANSWERED, 15),
                   (S.WITHDRAWN, 4), (S.REDIRECTED, 2), (S.REOPENED, 1)]
STATUSES_OLD = [(S.CLOSED, 62), (S.ANSWERED, 28), (S.WITHDRAWN, 5), (S.REDIRECTED, 3), (S.IN_PROGRESS, 1),
                (S.REOPENED, 1)]
SUBJECTS = ["Перерасчёт за {m}", "Не пришла квитанция за {m}", "Замена счётчика", "Показания не приняты",
            "Отключение электроэнергии", "Низкое напряжение в сети", "Заключение договора", "Смена собственника",
            "Долг в квитанции", "Доступ к личному кабинету", "Начисление по нормативу", "Поверка прибора учёта"]
MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
          "ноябрь", "декабрь"]
LAST_NAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
              "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов"]
FIRST_NAMES = ["Александр", "Мария", "Дмитрий", "Анна", "Сергей", "Елена", "Андрей", "Ольга", "Алексей", "Наталья"]
OPEN = set(Appeal.OPEN_STATUSES)
TABLES = (User, Organisation, Membership, Appeal, AppealEvent, Survey, Contract, ContractBinding, SupplyPoint,
          Meter, Reading)
BENCH_BINDING_CODE = "BENCH234"
STREETS = ["Ленина", "Тверская", "Садовая", "Мира", "Гагарина", "Пушкина", "Победы", "Молодёжная"]


class Weighted:
    def __init__(self, pairs, rng):
        self.values = [v for v, _w in pairs]
        self.cumulative = list(accumulate(w for _v, w in pairs))
        self.rng = rng

    def __call__(self):
        return self.values[bisect(self.cumulative, self.rng.random() * self.cumulative[-1])]


def _copy_value(value):
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class TableWriter:
    """Rows as dicts keyed by column, sent in batches: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, model, columns, batch_size):
        self.model = model
        self.columns = columns
        self.batch_size = batch_size
        self.rows = []
        self.count = 0
        self.use_copy = connection.vendor == "postgresql"

    def add(self, row):
        self.rows.append(row)
        if len(self.rows) >= self.batch_size:
            self.flush()

    def flush(self):
        if not self.rows:
            return
        if self.use_copy:
            buffer = io.StringIO()
            for row in self.rows:
                buffer.write("\t".join(_copy_value(row[c]) for c in self.columns))
                buffer.write("\n")
            buffer.seek(0)
            table = connection.ops.quote_name(self.model._meta.db_table)
            cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(f"COPY {table} ({cols}) FROM STDIN", buffer)
        else:
            self.model.objects.bulk_create([self.model(**row) for row in self.rows], batch_size=2000)
        self.count += len(self.rows)
        self.rows = []


def _columns(model):
    return [f.column for f in model._meta.concrete_fields]


def _model_row(instance):
    """All concrete columns of a model instance (defaults included); prepared for the database for COPY."""
    if connection.vendor != "postgresql":
        return {f.column: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
    return {f.column: f.get_db_prep_save(getattr(instance, f.attname), connection) for f in
            instance._meta.concrete_fields}


class Command(BaseCommand):
    help = "Fill the database with customers, organisations and appeals for load tests."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=1000)
        parser.add_argument("--appeals", type=int, default=10000)
        parser.add_argument("--operators", type=int, default=10)
        parser.add_argument("--password", default="bench-Password-2026")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--accounts", type=int, default=None,
                            help="bound residential accounts (default: one per customer, at most --customers)")
        parser.add_argument("--meters", type=int, default=None, help="meters (default: 1.5 per account)")
        parser.add_argument("--readings", type=int, default=None,
                            help="monthly readings (default: 30 per account, spread evenly over the meters)")
        parser.add_argument("--batch-size", type=int, default=50000)
        parser.add_argument(
            "--second-factors", action="store_true",
            help="Only give the bench staff of an already filled database their authenticators, and stop.",
        )
        parser.add_argument(
            "--force", action="store_true",
            help="Run even if the database name has no 'bench' in it and DEBUG is off.",
        )

    def handle(self, *args, **options):
        db_name = str(connection.settings_dict.get("NAME", ""))
        if not settings.DEBUG and "bench" not in db_name and not options["force"]:
            raise CommandError(f"Refusing to fill {db_name!r}: use a database named *bench* or --force.")
        if options["second_factors"]:
            self.stdout.write(f"authenticators added: {self._second_factors()}")
            return
        if User.objects.filter(email__startswith="bench-").exists():
            raise CommandError("This database already has bench data; use a fresh database.")
        rng = random.Random(options["seed"])  # reproducible test data, not secrets
        started = time.monotonic()
        now = timezone.now()
        with transaction.atomic():
            customers, members = self._people(rng, options, now)
            self.stdout.write(f"customers: {len(customers)}, organisation members: {len(members)} "
                              f"({time.monotonic() - started:.1f} s)")
            self._reset_sequences()  # the staff below are created the ordinary way
            operators = self._staff(options, now)
            count = self._appeals(rng, options, now, customers, members, operators)
            accounts, meters, readings = self._contracts(rng, options, now, customers)
            self.stdout.write(f"accounts: {accounts}, meters: {meters}, readings: {readings} "
                              f"({time.monotonic() - started:.1f} s)")
            self._reset_sequences()
        self.stdout.write(self.style.SUCCESS(
            f"appeals: {count} in {time.monotonic() - started:.1f} s"
        ))
        if connection.vendor == "postgresql":
            # VACUUM sets the visibility map after COPY (index-only counts need it) and ANALYZE the statistics.
            # (Inside a test's transaction VACUUM is not allowed: statistics only.)
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                for model in TABLES:
                    cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")

    # --- people ------------------------------------------------------------------------

    def _people(self, rng, options, now):
        password = make_password(options["password"])
        first_id = (User.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        writer = TableWriter(User, _columns(User), options["batch_size"])
        customers = []
        for i in range(options["customers"]):
            user = User(
                id=first_id + i, email=f"bench-customer-{i}@example.ru", password=password,
                last_name=rng.choice(LAST_NAMES), first_name=rng.choice(FIRST_NAMES),
                date_joined=now - timedelta(days=rng.randint(0, 900)), email_confirmed_at=now,
            )
            writer.add(_model_row(user))
            customers.append((user.id, f"{user.last_name} {user.first_name}", user.email))
        writer.flush()

        # One customer in ten acts for an organisation; organisations have 1-5 members.
        org_count = max(1, options["customers"] // 50)
        first_org = (Organisation.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        orgs = TableWriter(Organisation, _columns(Organisation), options["batch_size"])
        for j in range(org_count):
            organisation = Organisation(
                id=first_org + j, kind=Organisation.Kind.LEGAL_ENTITY, name=f"ООО «Бенч-{j}»",
                inn=f"{9_000_000_000 + j}", kpp="770101001", ogrn=f"{1_000_000_000_000 + j}", created_at=now,
            )
            orgs.add(_model_row(organisation))
        orgs.flush()
        memberships = TableWriter(Membership, _columns(Membership), options["batch_size"])
        members = {}
        first_membership = (Membership.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        pool = rng.sample(range(len(customers)), min(len(customers), org_count * 3))
        for n, index in enumerate(pool):
            org_id = first_org + n % org_count
            user_id = customers[index][0]
            membership = Membership(id=first_membership + n, user_id=user_id, organisation_id=org_id,
                                    role=Membership.Role.ADMIN if n < org_count else Membership.Role.MEMBER,
                                    created_at=now)
            memberships.add(_model_row(membership))
            members[user_id] = org_id
        memberships.flush()
        return customers, members

    def _staff(self, options, now):
        perms = list(Permission.objects.filter(
            content_type__app_label="appeals",
            codename__in=["view_appeal", "add_appeal", "change_appeal"],
        ))
        all_perm = Permission.objects.get(content_type__app_label="appeals", codename="view_all_appeals")
        operators = []
        for i in range(options["operators"]):
            user = User.objects.create_user(f"bench-operator-{i}@example.ru", options["password"], is_staff=True,
                                            last_name="Оператор", first_name=str(i), email_confirmed_at=now)
            user.user_permissions.add(*perms)
            operators.append(user.id)
        supervisor = User.objects.create_user("bench-supervisor@example.ru", options["password"], is_staff=True,
                                              last_name="Руководитель", email_confirmed_at=now)
        supervisor.user_permissions.add(*perms, all_perm)
        self._second_factors()
        return operators

    def _second_factors(self):
        """Every bench staff member gets a confirmed authenticator whose key comes from bench/bench_totp.py."""
        made = 0
        for user in User.objects.filter(is_staff=True, email__startswith="bench-"):
            _, created = TOTPDevice.objects.update_or_create(
                user=user, name="bench", defaults={"key": bench_totp.bench_key(user.email), "confirmed": True}
            )
            made += created
        return made

    # --- appeals -----------------------------------------------------------------------

    def _appeals(self, rng, options, now, customers, members, operators):
        expected = {f.column for f in Appeal._meta.concrete_fields}
        kind, topic, channel = Weighted(KINDS, rng), Weighted(TOPICS, rng), Weighted(CHANNELS, rng)
        recent_status, old_status = Weighted(STATUSES_RECENT, rng), Weighted(STATUSES_OLD, rng)
        tz = timezone.get_default_timezone()
        span = 730 * 24 * 3600
        # Registration moments over two years, denser recently (the business grows), in order.
        moments = sorted(now - timedelta(seconds=int(span * (rng.random() ** 1.3))) for _ in range(options["appeals"]))
        rules, due_cache = {}, {}

        def due_for(k, t, at):
            rule = rules.get((k, t))
            if rule is None:
                rule = rules[(k, t)] = deadline_services.rule_for(f"appeal.{k}", t)
            if rule.unit == "hours":
                return rule, deadline_services.deadline_for(rule, received_at=at, registered_at=at)
            key = (rule.pk, timezone.localtime(at, tz).date())
            due = due_cache.get(key)
            if due is None:
                due = due_cache[key] = deadline_services.deadline_for(rule, received_at=at, registered_at=at)
            return rule, due

        first_id = (Appeal.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        first_event = (AppealEvent.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        appeals = TableWriter(Appeal, sorted(expected), options["batch_size"])
        events = TableWriter(AppealEvent, _columns(AppealEvent), options["batch_size"] * 2)
        # The satisfaction survey of each rating (the dashboard reads these), ids from the sequence.
        surveys = TableWriter(Survey, [c for c in _columns(Survey) if c != "id"], options["batch_size"])
        counters = {}
        event_id = first_event
        for n, registered in enumerate(moments):
            year = timezone.localtime(registered, tz).year
            counters[year] = counters.get(year, 0) + 1
            k, t, ch = kind(), topic(), channel()
            rule, due = due_for(k, t, registered)
            age_days = (now - registered).days
            status = recent_status() if age_days < 45 else old_status()
            user_id, name, email = customers[rng.randrange(len(customers))] if ch != "site" else (None, None, None)
            org_id = members.get(user_id) if user_id and rng.random() < 0.5 else None
            if name is None:
                name, email = f"{rng.choice(LAST_NAMES)} {rng.choice(FIRST_NAMES)}", f"visitor{n}@example.ru"
            handled = status != S.REGISTERED
            assignee = rng.choice(operators) if handled and operators and rng.random() < 0.95 else None
            answered = status in (S.ANSWERED, S.CLOSED, S.REOPENED)
            answered_at = min(now, registered + timedelta(days=rng.randint(1, 25))) if answered else None
            closed_at = (answered_at or registered) + timedelta(days=rng.randint(0, 30)) if status in (
                S.CLOSED, S.WITHDRAWN, S.REDIRECTED) else None
            if closed_at and closed_at > now:
                closed_at = now
            last_activity = max(x for x in (registered, answered_at, closed_at) if x is not None)
            rated = answered and rng.random() < 0.35
            answer_channel = "email" if ch == "site" else ("post" if ch == "post" else "cabinet")
            row = {
                "id": first_id + n,
                "number": f"{year:04d}-{counters[year]:06d}",
                "author_id": user_id,
                "organisation_id": org_id,
                "contact_name": name,
                "contact_email": email,
                "contact_phone": "",
                "kind": k,
                "topic": t,
                "channel": ch,
                "subject": rng.choice(SUBJECTS).format(m=MONTHS[registered.month - 1]),
                "text": "Прошу разобраться и дать ответ в установленный срок. Лицевой счёт "
                        f"{rng.randint(10**9, 10**10 - 1)}.",
                "answer_channel": answer_channel,
                "postal_address": "г. Москва, ул. Тверская, д. 1, кв. 1" if answer_channel == "post" else "",
                "status": status,
                "version": 1 if handled else 0,
                "assignee_id": assignee,
                "received_at": registered,
                "registered_at": registered,
                "due_at": due,
                "deadline_rule_id": rule.pk,
                "deadline_basis": rule.legal_basis.split("\n", 1)[0][:300],
                "extended_at": None, "extended_by_id": None, "extension_reason": "", "due_at_before_extension": None,
                "redirected_to": "ПАО «Россети»" if status == S.REDIRECTED else "",
                "redirected_on": closed_at.date() if status == S.REDIRECTED else None,
                "answer_text": "Ваше обращение рассмотрено, перерасчёт выполнен." if answered and status != S.REOPENED
                else "",
                "answered_at": answered_at if status != S.REOPENED else None,
                "answered_by_id": assignee if answered and status != S.REOPENED else None,
                "answer_draft": "", "answer_draft_saved_at": None, "answer_draft_by_id": None,
                "rating": rng.choice((5, 5, 5, 4, 4, 3, 2, 1)) if rated else None,
                "rating_comment": "",
                "rated_at": answered_at if rated else None,
                "first_response_at": answered_at if answered else None,
                "reopened_count": 1 if status == S.REOPENED else 0,
                "closed_at": closed_at,
                "idempotency_key": uuid.UUID(int=rng.getrandbits(128)) if ch == "cabinet" else None,
                "submitted_ip": None,
                "visitor_consent_id": None,
                "contract_id": None,
                "created_at": registered,
                "updated_at": last_activity,
                "last_activity_at": last_activity,
            }
            if n == 0 and set(row) != expected:
                raise CommandError(f"seed_bench is out of date with the Appeal model: {set(row) ^ expected}")
            appeals.add(row)
            if rated:
                surveys.add({"subject": "appeals.appeal", "object_id": row["id"], "respondent_id": user_id,
                             "service_rating": row["rating"], "supply_rating": rng.choice((5, 5, 4, 4, 3, 2)),
                             "solved": rng.random() < 0.8, "comment": "", "created_at": answered_at})
            events.add({"id": event_id, "appeal_id": row["id"], "kind": "transition", "actor_id": user_id,
                        "created_at": registered, "from_status": "", "to_status": S.REGISTERED, "comment": ""})
            event_id += 1
            if row["answer_text"]:
                events.add({"id": event_id, "appeal_id": row["id"], "kind": "answer", "actor_id": assignee,
                            "created_at": answered_at, "from_status": "", "to_status": "",
                            "comment": row["answer_text"]})
                event_id += 1
            if handled:
                events.add({"id": event_id, "appeal_id": row["id"], "kind": "transition", "actor_id": assignee,
                            "created_at": last_activity, "from_status": S.IN_PROGRESS, "to_status": status,
                            "comment": ""})
                event_id += 1
            if (n + 1) % 100000 == 0:
                appeals.flush()
                events.flush()
                surveys.flush()
                self.stdout.write(f"  {n + 1} appeals")
        appeals.flush()
        events.flush()
        surveys.flush()
        for year, last in counters.items():
            AppealNumberCounter.objects.update_or_create(year=year, defaults={"last_value": last})
        return appeals.count

    # --- contracts, meters and readings (issue 12) --------------------------------------------

    def _contracts(self, rng, options, now, customers):
        accounts = min(len(customers), options["customers"] if options["accounts"] is None else options["accounts"])
        meters = accounts * 3 // 2 if options["meters"] is None else max(options["meters"], accounts)
        readings = accounts * 30 if options["readings"] is None else options["readings"]
        months = max(1, readings // meters) if meters else 0
        code = hash_binding_code(BENCH_BINDING_CODE)  # one hash for all: the bench only needs a known code
        tariffs = [Tariff.SINGLE] * 6 + [Tariff.TWO_ZONE] * 3 + [Tariff.THREE_ZONE]
        zones_of = {Tariff.SINGLE: 1, Tariff.TWO_ZONE: 2, Tariff.THREE_ZONE: 3}
        batch = options["batch_size"]
        first = {m: (m.objects.aggregate(x=Max("id"))["x"] or 0) + 1
                 for m in (Contract, ContractBinding, SupplyPoint, Meter, Reading)}
        writers = {m: TableWriter(m, _columns(m), batch) for m in first}
        today = timezone.localdate(now)
        periods = []
        year, month = today.year, today.month
        for _ in range(months):
            month -= 1
            if month == 0:
                year, month = year - 1, 12
            periods.append(date(year, month, 1))
        periods.reverse()
        meter_id, reading_id, meters_left = first[Meter], first[Reading], meters
        for i in range(accounts):
            user_id, name, _email = customers[i]
            tariff = tariffs[rng.randrange(len(tariffs))]
            contract_id, point_id = first[Contract] + i, first[SupplyPoint] + i
            address = f"г. Москва, ул. {rng.choice(STREETS)}, д. {i // 300 + 1}, кв. {i % 300 + 1}"
            writers[Contract].add({
                "id": contract_id, "billing_id": f"BENCH-LS-{i}", "number": f"{9_000_000_000 + i}",
                "kind": Contract.Kind.RESIDENTIAL, "status": Contract.Status.ACTIVE,
                "customer_kind": Contract.CustomerKind.PERSON, "customer_name": name, "inn": "",
                "address": address, "signed_on": date(2019, 1, 1), "effective_from": date(2019, 1, 1),
                "effective_to": None, "tariff": tariff, "price_category": None, "binding_code": code,
                "created_at": now, "updated_at": now,
            })
            writers[ContractBinding].add({
                "id": first[ContractBinding] + i, "contract_id": contract_id, "user_id": user_id,
                "organisation_id": None, "bound_at": now, "bound_by_id": None, "unbound_at": None,
            })
            writers[SupplyPoint].add({
                "id": point_id, "billing_id": f"BENCH-TP-{i}", "contract_id": contract_id, "address": address,
                "max_power_kw": Decimal("15.00"), "voltage": SupplyPoint.Voltage.LV, "grid_company": "ПАО «Россети»",
            })
            # Every account has a meter; the remaining meters go one more to the first accounts (a garage, a
            # second flat's line), so `meters` is met exactly.
            count = 1 + (1 if meters_left - 1 > accounts - i - 1 else 0)
            meters_left -= count
            for k in range(count):
                zones = zones_of[tariff]
                writers[Meter].add({
                    "id": meter_id, "billing_id": f"BENCH-PU-{i}-{k}", "supply_point_id": point_id,
                    "serial_number": f"B{i:07d}{k}", "model": "Меркурий 201.8", "zones": zones,
                    "installed_on": date(2019, 1, 1),
                    "next_verification_on": date(2035, 1, 1) + timedelta(days=i % 700),
                    "remote": k == 1 and i % 4 == 0, "removed_on": None, "replaced_by_id": None,
                })
                totals = [rng.randint(1000, 30000) for _ in range(zones)]
                for period in periods:
                    totals = [t + rng.randint(40, 260) // (z + 1) for z, t in enumerate(totals)]
                    writers[Reading].add({
                        "id": reading_id, "meter_id": meter_id, "period": period, "t1": totals[0],
                        "t2": totals[1] if zones > 1 else None, "t3": totals[2] if zones > 2 else None,
                        "source": Reading.Source.CABINET, "submitted_by_id": user_id,
                        "comment": "", "needs_review": False,
                        "submitted_at": datetime.combine(period.replace(day=20), datetime.min.time(), tzinfo=UTC),
                    })
                    reading_id += 1
                meter_id += 1
            if (i + 1) % 20000 == 0:
                self.stdout.write(f"  {i + 1} accounts")
        # Parents before children: the writers flush in the foreign keys' order.
        for model in (Contract, ContractBinding, SupplyPoint, Meter, Reading):
            writers[model].flush()
        return accounts, meter_id - first[Meter], reading_id - first[Reading]

    def _reset_sequences(self):
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model in TABLES:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - table names from models
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )


if __name__ == "__main__":
    Command().run_from_argv([sys.argv[0], "seed_bench", *sys.argv[1:]])
