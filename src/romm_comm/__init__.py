"""RomM-ComM: the chat companion for self-hosted RomM libraries."""

__version__ = "0.1.0"
