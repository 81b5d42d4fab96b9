"""Platform emojis from RomM icons: which should exist, which the bot made, the /emojis command."""
