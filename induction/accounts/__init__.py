"""Accounts: people, organisations, roles, sign-in, invitations, permissions and the audit log."""
