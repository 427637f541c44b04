"""Courses: the pages that show courses, modules and lessons, and the course CLI."""
