"""Accounts admin: teams with their memberships inline."""
