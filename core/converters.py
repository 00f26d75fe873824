"""Path converters shared by every app's urls.py."""

from django.urls.converters import IntConverter

# BigAutoField's largest value (a signed 64-bit integer).
BIG_AUTO_FIELD_MAX = 9_223_372_036_854_775_807


class IdConverter(IntConverter):
    """An object id in a URL: 1–18 ASCII digits, never zero.

    Django's `int` converter takes any run of digits, and a 20-digit id fails
    in the database (an overflow on PostgreSQL, an OverflowError in SQLite's
    adapter) as a 500. Eighteen digits always fit a BigAutoField, so a longer
    id does not match the route at all and the visitor gets the ordinary 404.
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        number = int(value)
        if not 1 <= number <= BIG_AUTO_FIELD_MAX:
            raise ValueError(value)  # the route does not match: 404
        return number
