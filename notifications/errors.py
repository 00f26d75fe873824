class DeliveryError(Exception):
    """A channel could not hand a message over."""


class TemporaryDeliveryError(DeliveryError):
    """Try again later (network down, server busy); retried with backoff."""


class PermanentDeliveryError(DeliveryError):
    """Trying again will not help (no address, address rejected); the row fails at once."""


class ServerUnavailableError(TemporaryDeliveryError):
    """The server itself did not answer (refused, timed out, dropped us): no use trying the next message now."""
