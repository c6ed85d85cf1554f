"""Admin for the quizzes app."""
