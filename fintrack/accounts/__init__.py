"""Accounts: the user model, registration, profile, password and tokens."""
