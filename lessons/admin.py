"""Admin for the lessons app."""
