"""The bench staff's second factor: a TOTP key derived from the email, and the current code.

Staff reach the admin only after a code from their authenticator (staffauth). The bench
gives every bench staff member a confirmed TOTP device whose key is derived from the email
(bench data only: the derivation is public), so load tools can log in as staff without a
phone. Standard library only: the shared harness's login script imports it too.
"""

import hashlib
import hmac
import struct
import time

STEP = 30
DIGITS = 6


def bench_key(email: str) -> str:
    """40 hex digits (a 20-byte key), as django-otp's TOTPDevice.key stores it."""
    return hashlib.sha1(f"portal-bench-totp:{email}".encode()).hexdigest()  # noqa: S324 - a key, not a password hash


def code(email: str, at: float | None = None) -> str:
    """RFC 6238 with django-otp's defaults: SHA-1, 30-second steps, 6 digits, t0 = 0."""
    counter = int((time.time() if at is None else at) // STEP)
    digest = hmac.new(bytes.fromhex(bench_key(email)), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**DIGITS
    return f"{value:0{DIGITS}d}"


def seconds_to_next_step(at: float | None = None) -> float:
    now = time.time() if at is None else at
    return STEP - now % STEP
