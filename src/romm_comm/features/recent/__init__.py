"""Recently added games: posts after scans and on a timer."""
