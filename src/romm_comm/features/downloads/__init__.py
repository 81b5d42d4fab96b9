"""Downloads: signed gateway links, the download log, QR codes, feeds guides, covers through the
bot.
"""
