"""Front ends: each registers the command registry its own way and renders cards."""
