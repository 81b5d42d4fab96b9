"""Have / missing against IGDB: /missing and /collection."""
