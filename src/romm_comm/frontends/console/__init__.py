"""The console front end: a shell on stdin/stdout that renders cards as text."""
