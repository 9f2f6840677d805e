"""Staff accounts: sign-in, sign-out, invitations."""
