"""Accounts: users, roles bound to regions, passwords, login and its throttling."""
