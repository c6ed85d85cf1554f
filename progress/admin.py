"""Admin for the progress app."""
