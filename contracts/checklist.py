"""The default checklist of documents for each kind of application and type of customer.

The data migration `0006_seed_application_checklist` writes it once on a fresh database; from then on
staff keep it in the admin («Обязательные документы заявок»). `seed_demo` restores missing lines.
"""

CONCLUDE, REREGISTER, AMEND, TERMINATE = "conclude", "reregister", "amend", "terminate"
PERSON, ORGANISATION = "person", "organisation"

PASSPORT = ("Паспорт (страницы с фотографией и регистрацией)", "")
OWNERSHIP = ("Документ о праве собственности или аренды помещения",
             "Выписка из ЕГРН, договор купли-продажи, аренды или иной документ.")
METER = ("Документы на прибор учёта (паспорт счётчика, акт допуска)", "")
CHARTER = ("Учредительные документы (устав) и выписка из ЕГРЮЛ или ЕГРИП", "")
AUTHORITY = ("Документ о полномочиях подписанта (приказ или доверенность)", "")
GRID_ACT = ("Акт об осуществлении технологического присоединения",
            "Выдаёт сетевая организация; подтверждает максимальную мощность и уровень напряжения.")

DEFAULT_CHECKLIST = {
    (CONCLUDE, PERSON): [PASSPORT, OWNERSHIP, METER],
    (CONCLUDE, ORGANISATION): [CHARTER, AUTHORITY, GRID_ACT, OWNERSHIP],
    (REREGISTER, PERSON): [PASSPORT, OWNERSHIP],
    (REREGISTER, ORGANISATION): [CHARTER, AUTHORITY, OWNERSHIP],
    (AMEND, PERSON): [PASSPORT],
    (AMEND, ORGANISATION): [AUTHORITY],
    (TERMINATE, PERSON): [PASSPORT],
    (TERMINATE, ORGANISATION): [AUTHORITY],
}


def ensure_default_checklist(RequiredDocument) -> int:
    """Add the default lines that are missing (by title); staff's own edits and additions stay. Returns how many."""
    added = 0
    for (kind, customer_kind), lines in DEFAULT_CHECKLIST.items():
        for position, (title, hint) in enumerate(lines, start=1):
            _row, created = RequiredDocument.objects.get_or_create(
                kind=kind, customer_kind=customer_kind, title=title, defaults={"hint": hint, "position": position}
            )
            added += created
    return added
