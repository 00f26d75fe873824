"""The billing import: a file of contracts, supply points or meters upserted by `billing_id`.

All or nothing per file: everything happens in one transaction, and a single refused row rolls it back,
so the report then says what would have been done and why nothing was. Each chunk of rows costs a fixed
number of queries (existing rows by billing id, the uniqueness and reference look-ups) and its writes go
in batches (bulk_create / bulk_update), so 100,000 rows import in well under a minute on PostgreSQL.
Running the same file again finds every row unchanged and writes nothing.
"""

import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.validators import inn_is_valid, personal_account_is_valid
from audit.services import bulk_change_record
from contracts.codes import code_matches_hash, hash_binding_code, normalise_code
from contracts.models import ZONES_BY_TARIFF, Contract, Meter, SupplyPoint

from .columns import ENTITY_LABELS, LAYOUTS, CellError, detect_entity
from .report import CREATED, REFUSED, UNCHANGED, UPDATED, ImportReport
from .tables import FileRefused, open_archive, read_table

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000
BATCH_SIZE = 1000
MIN_CODE_LENGTH = 6


@dataclass(slots=True)
class ParsedRow:
    number: int
    billing_id: str
    values: dict
    errors: list[str] = field(default_factory=list)


def import_billing_file(fileobj, *, entity: str | None = None, dry_run: bool = False, now=None) -> ImportReport:
    """Import one file (a binary file object); the report says what happened to every row."""
    report = ImportReport(dry_run=dry_run)
    now = now or timezone.now()
    importer = None
    try:
        report.file_format, header, rows = read_table(fileobj)
        if not entity and report.file_format == "zip":
            entity = next((name for name, cls in IMPORTERS.items() if cls.archive_required), None)
        report.entity = _entity(header, entity)
        positions = _positions(header, report.entity)
        importer = IMPORTERS[report.entity](report, now=now, write=not dry_run)
        if importer.archive_required != (report.file_format == "zip"):
            raise FileRefused(
                _("«%(label)s» загружаются архивом ZIP с описью manifest.csv и файлами, которые она называет.")
                % {"label": ENTITY_LABELS[report.entity]}
                if importer.archive_required
                else _("Архив ZIP подходит только для документов; «%(label)s» загружаются файлом CSV или XLSX.")
                % {"label": ENTITY_LABELS[report.entity]}
            )
        if importer.archive_required:
            importer.archive = open_archive(fileobj)
        with transaction.atomic():
            importer.run(_parse(rows, positions, report.entity))
            if not report.rows:
                raise FileRefused(_("В файле нет строк с данными, только заголовок."))
            if report.ok and not dry_run:
                report.saved = True
                # The rows were written in bulk, without per-row history: the import is one audit entry.
                bulk_change_record(what=f"billing import: {report.entity}", summary=report.counts, now=now)
                transaction.on_commit(importer.committed)
            else:
                transaction.set_rollback(True)
    except FileRefused as refused:
        report.rows, report.saved, report.file_error = [], False, refused.message
    except IntegrityError:
        # The checks above make this a race with another change (an admin edit, a second import).
        logger.warning("billing import hit an integrity error", exc_info=True)
        report.rows, report.saved = [], False
        report.file_error = _("данные изменились во время загрузки (например, их правил сотрудник). Повторите.")
    finally:
        if importer is not None and not report.saved:
            importer.discard()
    return report


def register_importer(entity: str, importer) -> None:
    """Another app's importer (a subclass of `Importer`) for an entity registered with `register_layout`."""
    IMPORTERS[entity] = importer


def _entity(header: list[str], entity: str | None) -> str:
    if entity:
        if entity not in LAYOUTS:
            raise FileRefused(_("Неизвестный вид данных «%(entity)s».") % {"entity": entity})
        return entity
    detected = detect_entity(header)
    if detected is None:
        raise FileRefused(
            _(
                "По заголовку не понять, что в файле: договоры, точки поставки или приборы учёта. Проверьте "
                "названия колонок в первой строке (они описаны на странице загрузки) или укажите вид данных."
            )
        )
    return detected


def _positions(header: list[str], entity: str) -> dict[str, int]:
    columns = {c.name for c in LAYOUTS[entity]}
    seen, repeated = {}, []
    for index, name in enumerate(header):
        if name in seen:
            repeated.append(name)
        seen.setdefault(name, index)
    unknown = [name or _("(пустое название)") for name in header if name not in columns]
    missing = [c.name for c in LAYOUTS[entity] if c.required and c.name not in seen]
    problems = []
    if missing:
        problems.append(_("нет обязательных колонок: %(names)s") % {"names": ", ".join(missing)})
    if unknown:
        problems.append(_("неизвестные колонки: %(names)s") % {"names": ", ".join(n[:40] for n in unknown[:10])})
    if repeated:
        problems.append(_("колонки повторяются: %(names)s") % {"names": ", ".join(repeated)})
    if problems:
        label = ENTITY_LABELS[entity]
        raise FileRefused(
            _("заголовок файла не подходит для загрузки («%(label)s»): %(problems)s.")
            % {"label": label, "problems": "; ".join(problems)}
        )
    return seen


def _parse(rows, positions: dict[str, int], entity: str):
    columns = LAYOUTS[entity]
    width = len(positions)
    for number, cells in rows:
        values, errors = {}, []
        if any(c is not None and str(c).strip() for c in cells[width:]):
            errors.append(_("в строке больше значений, чем колонок в заголовке"))
        for column in columns:
            index = positions.get(column.name)
            cell = cells[index] if index is not None and index < len(cells) else None
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                if column.required:
                    errors.append(_("%(column)s: не заполнено") % {"column": column.name})
                values[column.name] = column.default
                continue
            try:
                values[column.name] = column.parse(cell)
            except CellError as error:
                errors.append(f"{column.name}: {error.message}")
                values[column.name] = column.default
        billing_id = values.get("billing_id") or ""
        yield ParsedRow(number, billing_id if isinstance(billing_id, str) else "", values, errors)


def bulk_update(model, objects: list, field_names: list[str]) -> None:
    """Write the fields of many rows. On PostgreSQL one `UPDATE … FROM (VALUES …)` per batch: Django's
    bulk_update builds a CASE WHEN per field and row, and took 8 minutes for 100,000 changed accounts."""
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objects, field_names, batch_size=BATCH_SIZE)
        return
    fields = [model._meta.get_field(name) for name in field_names]
    pk = model._meta.pk
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields)
    columns = ", ".join(quote(c) for c in [pk.column, *(f.column for f in fields)])
    casts = [pk.rel_db_type(connection), *(f.rel_db_type(connection) if f.is_relation else f.db_type(connection)
                                          for f in fields)]  # fmt: skip
    row_sql = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(objects), BATCH_SIZE):
            batch = objects[start : start + BATCH_SIZE]
            params = []
            for obj in batch:
                params.append(obj.pk)
                params.extend(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields)
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments} FROM (VALUES {', '.join([row_sql] * len(batch))}) "  # noqa: S608 - names from the model, values as parameters
                f"AS v({columns}) WHERE t.{quote(pk.column)} = v.{quote(pk.column)}",
                params,
            )


class _Importer:
    model = None
    # Documents come as a ZIP with a manifest (the archive is then `self.archive`); tables as CSV/XLSX.
    archive_required = False
    archive = None
    # Model attributes written from the file (compared to find unchanged rows).
    fields: tuple[str, ...] = ()
    # A column unique in the table besides billing_id: (column, message when another record has it).
    unique_column: str | None = None

    def __init__(self, report: ImportReport, *, now, write: bool):
        self.report, self.now, self.write = report, now, write
        self.seen_ids: dict[str, int] = {}
        self.seen_unique: dict[str, int] = {}

    def run(self, rows):
        chunk = []
        for row in rows:
            self._in_file_duplicates(row)
            chunk.append(row)
            if len(chunk) >= CHUNK_SIZE:
                self._chunk(chunk)
                chunk = []
        if chunk:
            self._chunk(chunk)

    def _in_file_duplicates(self, row: ParsedRow):
        if row.billing_id:
            first = self.seen_ids.setdefault(row.billing_id, row.number)
            if first != row.number:
                row.errors.append(
                    _("billing_id «%(id)s» уже встречался в строке %(row)d") % {"id": row.billing_id, "row": first}
                )
        value = row.values.get(self.unique_column) if self.unique_column else None
        if value:
            first = self.seen_unique.setdefault(value, row.number)
            if first != row.number:
                row.errors.append(self.duplicate_in_file_message(value, first))

    def _chunk(self, rows: list[ParsedRow]):
        ids = [r.billing_id for r in rows if r.billing_id]
        existing = {o.billing_id: o for o in self.model.objects.select_for_update().filter(billing_id__in=ids)}
        self.prefetch(rows)
        to_create, to_update = [], []
        for row in rows:
            current = existing.get(row.billing_id)
            if not row.errors:
                self.check(row, current)
            if row.errors:
                self.report.add(row.number, row.billing_id, REFUSED, row.errors)
                continue
            values = self.model_values(row)
            if current is None:
                obj = self.model(billing_id=row.billing_id, **values)
                self.finish_new(obj, row)
                to_create.append(obj)
                self.report.add(row.number, row.billing_id, CREATED)
                continue
            changed = [name for name, value in values.items() if getattr(current, name) != value]
            for name in changed:
                setattr(current, name, values[name])
            changed += self.finish_existing(current, row)
            if changed:
                if "updated_at" in self.update_fields:
                    current.updated_at = self.now
                to_update.append(current)
                self.report.add(row.number, row.billing_id, UPDATED)
            else:
                self.report.add(row.number, row.billing_id, UNCHANGED)
        # After the first refused row nothing will be kept: the rest is only checked, for the report.
        if self.write and not self.report.refused:
            self.model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
            if to_update:
                bulk_update(self.model, to_update, self.update_fields)

    @property
    def update_fields(self):
        return list(self.fields)

    def model_values(self, row: ParsedRow) -> dict:
        return {name: row.values[name] for name in self.fields}

    def prefetch(self, rows):
        pass

    def committed(self):
        """After the import's transaction committed (the file was saved)."""

    def discard(self):
        """The file was not saved: undo what is outside the database (stored files)."""

    def check(self, row: ParsedRow, current):
        pass

    def finish_new(self, obj, row):
        pass

    def finish_existing(self, obj, row) -> list[str]:
        return []

    def duplicate_in_file_message(self, value, first_row):
        raise NotImplementedError

    def _taken(self, rows, column: str) -> dict[str, str]:
        """Values of the unique column already held by a record, with that record's billing id."""
        values = {r.values.get(column) for r in rows if r.values.get(column)}
        if not values:
            return {}
        return dict(self.model.objects.filter(**{f"{column}__in": values}).values_list(column, "billing_id"))


class ContractImporter(_Importer):
    model = Contract
    fields = (
        "number", "kind", "status", "customer_kind", "customer_name", "inn", "address", "signed_on",
        "effective_from", "effective_to", "tariff", "price_category",
    )  # fmt: skip
    unique_column = "number"

    @property
    def update_fields(self):
        return [*self.fields, "binding_code", "updated_at"]

    def duplicate_in_file_message(self, value, first_row):
        return _("номер «%(value)s» уже встречался в строке %(row)d") % {"value": value, "row": first_row}

    def prefetch(self, rows):
        self.numbers = self._taken(rows, "number")

    def check(self, row, current):
        v, errors = row.values, row.errors
        residential = v["kind"] == Contract.Kind.RESIDENTIAL
        holder = self.numbers.get(v["number"])
        if holder is not None and holder != row.billing_id:
            errors.append(
                _("number: номер «%(number)s» уже у другого договора (billing_id «%(other)s»)")
                % {"number": v["number"], "other": holder}
            )
        if residential:
            if not personal_account_is_valid(v["number"]):
                errors.append(
                    _("number: номер лицевого счёта «%(number)s» не соответствует формату, принятому в компании")
                    % {"number": v["number"][:40]}
                )
            if not v["tariff"]:
                errors.append(_("tariff: у договора гражданина тариф обязателен (single, two_zone или three_zone)"))
            if v["price_category"] is not None:
                errors.append(_("price_category: ценовая категория указывается только у договора организации"))
            if v["inn"] and not (len(v["inn"]) == 12 and inn_is_valid(v["inn"])):
                errors.append(_("inn: неверный ИНН гражданина «%(inn)s» (12 цифр с контрольными)") % {"inn": v["inn"]})
        else:
            if v["tariff"]:
                errors.append(_("tariff: у договора организации тариф не указывается, только ценовая категория"))
            if v["price_category"] is None:
                errors.append(_("price_category: у договора организации обязательна ценовая категория от 1 до 6"))
            if not v["inn"]:
                errors.append(_("inn: у договора организации ИНН обязателен"))
            elif not inn_is_valid(v["inn"]):
                errors.append(
                    _(
                        "inn: неверный ИНН «%(inn)s»: нужно 10 цифр (организация) или 12 (ИП), контрольные цифры "
                        "должны сходиться"
                    )
                    % {"inn": v["inn"]}
                )
        if v["effective_from"] and v["effective_to"] and v["effective_to"] < v["effective_from"]:
            errors.append(_("effective_to: дата окончания раньше даты начала"))
        code = normalise_code(v["binding_code"])
        if v["binding_code"] and len(code) < MIN_CODE_LENGTH:
            errors.append(_("binding_code: код привязки короче %(n)d символов") % {"n": MIN_CODE_LENGTH})

    def model_values(self, row):
        values = {name: row.values[name] for name in self.fields if name != "customer_kind"}
        values["customer_kind"] = (
            Contract.CustomerKind.PERSON
            if row.values["kind"] == Contract.Kind.RESIDENTIAL
            else Contract.CustomerKind.ORGANISATION
        )
        return values

    def finish_new(self, obj, row):
        if row.values["binding_code"]:
            obj.binding_code = hash_binding_code(row.values["binding_code"])

    def finish_existing(self, obj, row):
        changed = []
        code = row.values["binding_code"]
        # An empty cell keeps the code; an equal one is "unchanged" (salted hashes differ, so compare the code).
        if code and not code_matches_hash(code, obj.binding_code):
            obj.binding_code = hash_binding_code(code)
            changed.append("binding_code")
        return changed


class SupplyPointImporter(_Importer):
    model = SupplyPoint
    fields = ("contract_id", "address", "max_power_kw", "voltage", "grid_company")

    def prefetch(self, rows):
        wanted = {r.values["contract_billing_id"] for r in rows if r.values.get("contract_billing_id")}
        self.contracts = dict(Contract.objects.filter(billing_id__in=wanted).values_list("billing_id", "id"))

    def check(self, row, current):
        if row.values["contract_billing_id"] not in self.contracts:
            row.errors.append(
                _("contract_billing_id: договор «%(id)s» не найден — загрузите сначала файл договоров")
                % {"id": row.values["contract_billing_id"]}
            )

    def model_values(self, row):
        v = row.values
        return {
            "contract_id": self.contracts[v["contract_billing_id"]],
            "address": v["address"],
            "max_power_kw": v["max_power_kw"],
            "voltage": v["voltage"],
            "grid_company": v["grid_company"],
        }


class MeterImporter(_Importer):
    model = Meter
    fields = (
        "supply_point_id", "serial_number", "model", "zones", "installed_on", "next_verification_on", "remote",
        "removed_on",
    )  # fmt: skip
    unique_column = "serial_number"

    def duplicate_in_file_message(self, value, first_row):
        return _("serial_number: заводской номер «%(value)s» уже встречался в строке %(row)d") % {
            "value": value,
            "row": first_row,
        }

    def prefetch(self, rows):
        wanted = {r.values["supply_point_billing_id"] for r in rows if r.values.get("supply_point_billing_id")}
        self.points = {
            billing_id: (pk, kind, tariff)
            for billing_id, pk, kind, tariff in SupplyPoint.objects.filter(billing_id__in=wanted).values_list(
                "billing_id", "id", "contract__kind", "contract__tariff"
            )
        }
        self.serials = self._taken(rows, "serial_number")

    def check(self, row, current):
        v, errors = row.values, row.errors
        point = self.points.get(v["supply_point_billing_id"])
        if point is None:
            errors.append(
                _("supply_point_billing_id: точка поставки «%(id)s» не найдена — загрузите сначала файл точек поставки")
                % {"id": v["supply_point_billing_id"]}
            )
        elif point[1] == Contract.Kind.RESIDENTIAL and point[2] and v["removed_on"] is None:
            expected = ZONES_BY_TARIFF[point[2]]
            if v["zones"] != expected:
                errors.append(
                    _("zones: у счётчика %(zones)d зон(ы), а тариф договора — на %(expected)d")
                    % {"zones": v["zones"], "expected": expected}
                )
        holder = self.serials.get(v["serial_number"])
        if holder is not None and holder != row.billing_id:
            errors.append(
                _("serial_number: заводской номер «%(serial)s» уже у другого счётчика (billing_id «%(other)s»)")
                % {"serial": v["serial_number"], "other": holder}
            )
        if v["installed_on"] and v["removed_on"] and v["removed_on"] < v["installed_on"]:
            errors.append(_("removed_on: дата снятия раньше даты установки"))

    def model_values(self, row):
        v = row.values
        return {
            "supply_point_id": self.points[v["supply_point_billing_id"]][0],
            **{name: v[name] for name in self.fields if name != "supply_point_id"},
        }


Importer = _Importer

IMPORTERS = {"contracts": ContractImporter, "supply_points": SupplyPointImporter, "meters": MeterImporter}
