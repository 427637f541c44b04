"""Web plumbing shared by every feature: errors, security headers, health, template helpers."""
