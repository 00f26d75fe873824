"""Django's database sessions, read by a query compiled once per process.

Every logged-in page reads its session first. Django's store builds that query anew each time
(`Session.objects.get(...)`): about 0.3 ms of CPU, more than PostgreSQL needs to find the row by its
primary key. This store reads the same row through `core.prepared` and checks its expiry in Python;
everything else (the table, saving, deleting, the cookie) is Django's `db` store, so the engine can be
switched either way without anyone being logged out.

Sessions logged in by `accounts.backends.UserBackend` are stored under the path of Django's
`ModelBackend`, which it continues, and read back as its own: the switch of backends logs nobody out,
whichever way it is made.
"""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts import backends
from core.prepared import prepared


@prepared
def _stored(*, session_key):
    return Session.objects.filter(session_key=session_key)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        rows = _stored(session_key=self.session_key)
        if rows and rows[0].expire_date > timezone.now():
            return rows[0]
        self._session_key = None  # as Django's store: an unknown or expired key starts a new session
        return None

    def encode(self, session_dict):
        if session_dict.get(BACKEND_SESSION_KEY) == backends.PATH:
            session_dict = {**session_dict, BACKEND_SESSION_KEY: backends.STORED_AS}
        return super().encode(session_dict)

    def decode(self, session_data):
        session = super().decode(session_data)
        if session.get(BACKEND_SESSION_KEY) == backends.STORED_AS:
            session[BACKEND_SESSION_KEY] = backends.PATH
        return session
