"""What a reminder or notice scan reports: why it looked at nothing, or how many it sent of each kind.

Every domain's scan (appeals, contract applications, readings, billing, data-subject requests) returns one;
the periodic task logs it.
"""

from dataclasses import dataclass, field

# The hours (company time, [start, end)) staff and customers may be reminded in: a scan outside them sends
# nothing and the next scan in the morning does. The appeals' ladder has its own, tunable in the admin.
SENDING_HOURS = (9, 21)


@dataclass
class ScanResult:
    skipped: str = ""  # why nothing was looked at: a day off, or outside the sending hours
    planned: int = 0  # reminders that fell due (sent now, or in the next scans past the per-scan limit)
    sent: dict = field(default_factory=dict)

    def count(self, kind):
        self.sent[kind] = self.sent.get(kind, 0) + 1

    @property
    def total(self):
        return sum(self.sent.values())
