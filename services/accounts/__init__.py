"""Customers and staff accounts, passwords and API tokens."""
