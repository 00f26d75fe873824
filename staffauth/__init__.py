"""Staff sign in with a second factor: TOTP (django-otp) for every staff account.

The admin (and every staff page) opens only to a staff member who has, in this session, typed a
code from their authenticator app or a one-time recovery code. A staff member without a confirmed
authenticator is enrolled on their first visit (QR code and base32 secret, confirmed with a code);
ten recovery codes are shown once. An administrator resets a lost second factor from the admin, and
each reset is recorded (who, whom, when). Customers never meet any of this.
"""
