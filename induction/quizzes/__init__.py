"""Quizzes: grading (pure, by the types in `induction.content.question_types`), attempts, pages."""
