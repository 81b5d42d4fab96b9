"""The Discord front end (discord.py). Nothing outside this package imports discord.

`runner.run_discord(app, stop)` starts it; `bot.RommBot` is the client; the other modules are
named for what they do (registration, rendering, interactions, stats channels, presence, QR).
"""
