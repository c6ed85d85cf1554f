"""Fixtures for the security tests: the seven roles (see roles.py) and the world (world.py)."""

from .roles import roles  # noqa: F401  (a fixture, used by name)
from .world import world  # noqa: F401  (a fixture, used by name)
