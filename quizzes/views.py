"""Views for the quizzes app."""
