"""Admin for the matrix app."""
