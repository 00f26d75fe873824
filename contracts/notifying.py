"""The contracts app's notification events (notifications autodiscovers this module).

Each part of the app declares its events in its own module, imported here.
"""

from contracts import notifying_readings  # noqa: F401
