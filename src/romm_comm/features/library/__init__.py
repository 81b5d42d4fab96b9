"""Browsing the library: platforms, search, games, firmware, numbers, IGDB lists."""
