"""The shared kernel of the chat features: neutral replies (cards), the command registry,
notifications, text formats. No feature code, no chat library.
"""
