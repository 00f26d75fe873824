"""Write a billing export of N residential accounts (the import's contracts layout) for timing the import.

    .venv/bin/python bench/billing_file.py --accounts 100000 --out var/billing-contracts.csv
    time .venv/bin/python manage.py import_billing var/billing-contracts.csv

Every account has a binding code; numbers match the default PERSONAL_ACCOUNT_REGEX. No Django needed.
"""

import argparse
import csv
import random

HEADER = ["billing_id", "number", "kind", "status", "customer_name", "inn", "address", "signed_on",
          "effective_from", "effective_to", "tariff", "price_category", "binding_code"]  # fmt: skip
LAST_NAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков"]
FIRST_NAMES = ["Александр", "Дмитрий", "Сергей", "Андрей", "Алексей", "Иван", "Павел"]
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--out", default="var/billing-contracts.csv")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)  # reproducible test data, not secrets
    tariffs = ["single"] * 6 + ["two_zone"] * 3 + ["three_zone"]
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADER)
        for n in range(args.accounts):
            writer.writerow([
                f"BILL-LS-{n:07d}", f"{9_100_000_000 + n}", "residential", "active",
                f"{rng.choice(LAST_NAMES)} {rng.choice(FIRST_NAMES)}", "",
                f"г. Москва, ул. Бенчмарочная, д. {n // 200 + 1}, кв. {n % 200 + 1}",
                "01.03.2020", "01.03.2020", "", rng.choice(tariffs), "",
                "".join(rng.choice(ALPHABET) for _ in range(8)),
            ])  # fmt: skip


if __name__ == "__main__":
    main()
