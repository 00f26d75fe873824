"""The shape every domain's status workflow shares: a table of transitions, who may make each one,
and the refusal that carries a Russian message. The rules themselves stay in each domain's workflow."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    by: frozenset
    label: str  # the action's name on a button


class TransitionNotAllowed(Exception):
    """Carries the Russian message the service turns into a ValidationError."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class TransitionTable:
    def __init__(self, transitions):
        self.transitions = tuple(transitions)
        self._by_pair = {(t.source, t.target): t for t in self.transitions}

    def get(self, source, target):
        return self._by_pair.get((source, target))

    def targets_from(self, source, role):
        """Transitions the role may make from `source`, in table order."""
        return [t for t in self.transitions if t.source == source and role in t.by]
