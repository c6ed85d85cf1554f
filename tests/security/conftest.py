"""Fixtures for the security tests: the seven roles (see roles.py)."""

from .roles import roles  # noqa: F401  (a fixture, used by name)
