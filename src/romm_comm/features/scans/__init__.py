"""Scans: start, stop and follow RomM library scans; progress and summaries."""
