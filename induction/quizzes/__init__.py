"""Quizzes: question types and grading (pure), attempts, and the pages to take them."""
