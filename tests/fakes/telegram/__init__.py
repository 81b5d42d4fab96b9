"""A Telegram Bot API fake over real HTTP on 127.0.0.1 (see server.py)."""

from .server import BOT_USERNAME, FakeTelegram, Person, Sent

__all__ = ["BOT_USERNAME", "FakeTelegram", "Person", "Sent"]
