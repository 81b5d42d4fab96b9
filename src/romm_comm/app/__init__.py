"""The composition root: builds every resource from the settings once, owns background work, closes
everything.
"""
