"""Views for the matrix app."""
