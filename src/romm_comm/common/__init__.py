"""What every layer may use: the user-facing error base, the outgoing HTTP session, well-formed
URLs, timestamps.
"""
