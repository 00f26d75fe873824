"""Putting checked uploads (core.uploads) on private storage: on disk first, rows in the transaction,
the files removed again when the transaction fails; and taking files away: only once the transaction
that deleted their rows has committed (a rollback keeps both)."""

import logging
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)


def write_checked(files, *, storage, name_for, written: list) -> list:
    """Save each checked file under `name_for()` before any row lock is taken (slow disks never hold up
    others); `written` collects the names for cleanup. Returns [(checked, stored name)]."""
    stored = []
    for checked in files:
        checked.upload.seek(0)
        name = storage.save(name_for(), checked.upload)
        written.append(name)
        stored.append((checked, name))
    return stored


def delete_stored(storage, names) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # pragma: no cover - logged, the row is gone anyway
            logger.exception("could not delete orphaned file %s", name)


def delete_after_commit(storage, names) -> None:
    """Delete the files once the current transaction commits; nothing happens if it rolls back."""
    names = list(names)
    if names:
        transaction.on_commit(partial(delete_stored, storage, names))


def atomic_with_file_cleanup(storage, func):
    """Run func(written) in a transaction; delete the files it wrote if the transaction fails."""
    written = []
    try:
        with transaction.atomic():
            return func(written)
    except BaseException:
        delete_stored(storage, written)
        raise
