"""The binding code printed on the bill: the second factor that proves a contract is yours.

Stored hashed in `Contract.binding_code` in Django's password-hash format, never shown again. Codes are
typed from paper, so the alphabet has no look-alikes (0/O, 1/I/L) and the check ignores spaces and case.

Why not Argon2 like passwords: billing sends a code for every account, and 100,000 accounts must import in
under a minute — at ~100 ms a hash that alone would take hours, and checking that a re-imported code is
unchanged costs the same again. The code is guarded online by the binding lockout (5 tries per hour); what the
hash must resist is a stolen database. `BindingCodeHasher` is a salted HMAC-SHA256 keyed with SECRET_KEY
(a pepper): a database dump alone does not let anyone test guesses. Rotating SECRET_KEY keeps old codes
working while the old key stays in SECRET_KEY_FALLBACKS. Hashes of other kinds (from `make_password`) are
still checked with `check_password`.
"""

import secrets

from django.conf import settings
from django.contrib.auth.hashers import BasePasswordHasher, check_password, mask_hash
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_noop

from contracts.models import Contract

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8
_KEY_SALT = "contracts.codes.BindingCodeHasher"


class BindingCodeHasher(BasePasswordHasher):
    """`binding_hmac$<salt>$<hex HMAC-SHA256 of salt+code under SECRET_KEY>` (listed in PASSWORD_HASHERS)."""

    algorithm = "binding_hmac"

    def _digest(self, password: str, salt: str, secret: str) -> str:
        return salted_hmac(_KEY_SALT, f"{salt}${password}", secret=secret, algorithm="sha256").hexdigest()

    def salt(self):
        # Django's salt draws 22 characters one by one (secrets.choice): the slowest part of importing 100,000
        # codes. 96 random bits in one call are as good a salt.
        return secrets.token_urlsafe(12)

    def encode(self, password, salt):
        self._check_encode_args(password, salt)
        return f"{self.algorithm}${salt}${self._digest(password, salt, settings.SECRET_KEY)}"

    def decode(self, encoded):
        algorithm, salt, digest = encoded.split("$", 2)
        assert algorithm == self.algorithm  # noqa: S101 - Django's hashers do the same
        return {"algorithm": algorithm, "hash": digest, "salt": salt}

    def verify(self, password, encoded):
        decoded = self.decode(encoded)
        matched = False
        for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
            matched |= constant_time_compare(decoded["hash"], self._digest(password, decoded["salt"], secret))
        return matched

    def safe_summary(self, encoded):
        decoded = self.decode(encoded)
        return {
            gettext_noop("algorithm"): decoded["algorithm"],
            gettext_noop("salt"): mask_hash(decoded["salt"]),
            gettext_noop("hash"): mask_hash(decoded["hash"]),
        }

    def harden_runtime(self, password, encoded):
        pass


_HASHER = BindingCodeHasher()


def normalise_code(raw: str) -> str:
    return "".join((raw or "").split()).upper()


def new_binding_code() -> str:
    """A fresh random code: 8 characters of the unambiguous alphabet."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def hash_binding_code(raw: str) -> str:
    return _HASHER.encode(normalise_code(raw), _HASHER.salt())


def set_binding_code(contract, raw: str):
    """Store `raw` hashed on the contract (the caller saves it); returns the contract."""
    contract.binding_code = hash_binding_code(raw)
    return contract


def code_matches_hash(raw: str, encoded: str) -> bool:
    code = normalise_code(raw)
    if not code or not encoded:
        return False
    if encoded.startswith(f"{_HASHER.algorithm}$"):
        return _HASHER.verify(code, encoded)
    return check_password(code, encoded)


def binding_code_matches(contract, raw: str) -> bool:
    code = normalise_code(raw)
    if contract is None or not contract.binding_code or not code:
        # Hash anyway, so a wrong number takes as long to refuse as a wrong code.
        hash_binding_code(code or "-")
        return False
    return code_matches_hash(code, contract.binding_code)


def issue_binding_code(contract_id: int, *, now=None) -> tuple[object, str]:
    """A new random code for the contract (the old one stops working); returns (contract, the code in clear).

    The code is shown once to the staff member who issued it and never stored in clear.
    """
    code = new_binding_code()
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract_id)
        set_binding_code(contract, code)
        contract.updated_at = now or timezone.now()
        contract.save(update_fields=["binding_code", "updated_at"])
    return contract, code
