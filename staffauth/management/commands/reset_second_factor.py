"""Resets a staff member's second factor from the server: for the administrator who lost both the phone
and the recovery codes (nobody else can reach the admin to do it). Recorded like a reset in the admin."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from staffauth import services


class Command(BaseCommand):
    help = "Removes a staff member's authenticator and recovery codes (recorded); they enrol again at next login."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--reason", default="")

    def handle(self, *args, email, reason, **options):
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account with the email {email}.")
        try:
            reset = services.reset_second_factor(actor=None, user=user, reason=reason)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Second factor of {user.email} reset ({reset.devices_removed} devices removed).")
