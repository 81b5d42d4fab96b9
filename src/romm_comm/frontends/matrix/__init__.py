"""The Matrix front end: commands typed as messages (`!search n64 mario`) in Matrix rooms,
answered with `m.notice` messages (HTML and plain text) and images from the media repository."""
