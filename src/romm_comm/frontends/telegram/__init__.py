"""The Telegram front end: the registry's commands in Telegram chats (aiogram's Bot API client,
long polling), replies as HTML messages and photos with inline keyboards."""
