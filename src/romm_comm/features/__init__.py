"""One package per capability: its service, models, store queries, cards and commands."""
