"""Admin notices to any service Apprise supports (ntfy, Gotify, Pushover, email, Matrix…)."""
