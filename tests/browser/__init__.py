"""Real-browser tests: Chromium drives the running app (pytest -m browser)."""
