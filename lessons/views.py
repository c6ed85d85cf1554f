"""Views for the lessons app."""
