"""The binding code printed on the bill: the second factor that proves a contract is yours.

Stored hashed in `Contract.binding_code` (Django's password hashers), never shown again. Codes are
typed from paper, so the alphabet has no look-alikes (0/O, 1/I/L) and the check ignores spaces and case.
"""

import secrets

from django.contrib.auth.hashers import check_password, make_password

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8


def normalise_code(raw: str) -> str:
    return "".join((raw or "").split()).upper()


def new_binding_code() -> str:
    """A fresh random code: 8 characters of the unambiguous alphabet."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def set_binding_code(contract, raw: str):
    """Store `raw` hashed on the contract (the caller saves it); returns the contract."""
    contract.binding_code = make_password(normalise_code(raw))
    return contract


def binding_code_matches(contract, raw: str) -> bool:
    code = normalise_code(raw)
    if contract is None or not contract.binding_code or not code:
        # Hash anyway, so a wrong number takes as long to refuse as a wrong code.
        make_password(code or "-")
        return False
    return check_password(code, contract.binding_code)
