"""Updates → the registry → replies, in Telegram chats.

Commands are typed (`/search n64 mario`, `/search@ThisBot …` in groups) and read as the
console reads them (core.text_input); pick lists and buttons are inline keyboards whose
presses are answered at once (`answerCallbackQuery`) and then run. Private replies (download
links, QR codes, accounts) go to the person's private chat with the bot; when they never
started it (403), the group gets one sentence with a `t.me/<bot>?start=<token>` link, and
`/start <token>` later runs what was asked again, in private.

In a private chat, typed picks work too (core.text_input.TextDialog): a number (`2`, `1,3`,
`all`) answers the last pick list shown there and `b1` presses its first button; what the
chat can answer is kept per chat in the store, so a restart in between does not lose it.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    SendMessage,
    SendPhoto,
)
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
    User,
)

from ...core.cards import Reply
from ...core.commands import Caller
from ...core.text_input import (
    Pending,
    TextDialog,
    is_button_press,
    is_selection,
    parse_command_line,
    pending_from_json,
    pending_to_json,
)
from ...features.context import Context
from ...romm.errors import RommError
from .access import REFUSAL, Access
from .api import call
from .callbacks import MULTI, Callbacks
from .config import Host
from .records import Records
from .render import Outgoing, multi_rows, render

log = logging.getLogger("romm_comm.telegram")

FRONT_END = "telegram"
COVER_MAX_BYTES = 4 * 1024 * 1024
COVER_CACHE_BYTES = 16 * 1024 * 1024  # covers fetched lately: a card shown again costs no call
DEEP_LINK_PREFIX = "telegram:start:"
PENDING_PREFIX = "telegram:pending:"  # + chat id: the last pick list and buttons shown there
GONE = "That list has expired: ask again."
NOT_YOURS = "That list belongs to someone else's command."


def command_line(text: str, username: str) -> str | None:
    """`/cmd@ThisBot args` → `/cmd args`; None for plain text or a command for another bot."""
    if not text.startswith("/"):
        return None
    head, sep, rest = text.partition(" ")
    name, at, target = head.partition("@")
    if at and target.lower() != username.lower():
        return None
    return name + sep + rest


def _chat_of(update: Update) -> int:
    if update.message is not None:
        return update.message.chat.id
    query = update.callback_query
    if query is not None and query.message is not None:
        return query.message.chat.id
    return 0


class TelegramBot:
    def __init__(
        self, app: Host, bot: Bot, me: User, clock: Callable[[], float] = time.time
    ) -> None:
        self.app = app
        self.bot = bot
        self.username = me.username or ""
        self.records = Records(app.services.store, clock)
        self.callbacks = Callbacks(self.records)
        self.dialog = TextDialog(app.registry)
        self.pruned = asyncio.Event()  # set after each scheduled prune (tests wait on it)
        self.access = Access(bot, app.telegram, app.services.store)
        self.handler_errors: list[BaseException] = []
        self._covers: OrderedDict[str, bytes] = OrderedDict()
        self._chats: dict[int, asyncio.Lock] = {}

    # --- updates ------------------------------------------------------------------------
    async def handle_in_order(self, update: Update) -> None:
        """Chats are answered side by side; one chat's updates one after another, in order
        (a tick on a multi-select list must see the tick before it)."""
        lock = self._chats.setdefault(_chat_of(update), asyncio.Lock())
        async with lock:
            await self.handle(update)

    async def drain(self, within: float) -> None:
        """Wait (at most `within` seconds) for the updates being answered."""

        async def settled() -> None:
            for lock in list(self._chats.values()):
                async with lock:
                    pass

        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(settled(), within)

    async def prune(self) -> None:
        """Remove expired button records, ticks and deep-link tokens (on a schedule)."""
        removed = await self.records.prune()
        if removed:
            log.info("telegram: %d expired record(s) removed", removed)
        self.pruned.set()

    async def handle(self, update: Update) -> None:
        try:
            if update.message is not None:
                await self.on_message(update.message)
            elif update.callback_query is not None:
                await self.on_callback(update.callback_query)
        except Exception as exc:
            log.exception("telegram: update %s failed", update.update_id)
            self.handler_errors.append(exc)

    async def _admitted(self, chat_id: int, chat_type: str, user: User) -> bool:
        if chat_type != "private":
            return self.access.group_allowed(chat_id)
        if await self.access.private_allowed(user.id):
            return True
        if await self.access.first_refusal(user.id):
            await self.send(chat_id, Reply.notice(REFUSAL))
        return False

    async def context(self, user: User) -> Context:
        caller = Caller(
            id=str(user.id),
            name=user.full_name,
            front_end=FRONT_END,
            is_admin=await self.access.is_admin(user.id),
        )
        return Context(caller=caller, services=self.app.services, registry=self.app.registry)

    async def on_message(self, message: Message) -> None:
        user = message.from_user
        text = (message.text or "").strip()
        line = command_line(text, self.username)
        chat = message.chat
        typed = chat.type == "private" and (is_selection(text) or is_button_press(text))
        if user is None or user.is_bot or (line is None and not typed):
            return
        if not await self._admitted(chat.id, chat.type, user):
            return
        if line is None:
            await self.typed_pick(chat.id, user, text)
            return
        name, _, rest = line.partition(" ")
        if name.lower() == "/start":
            if chat.type == "private" and rest.strip():
                await self.deep_link(chat.id, user, rest.strip())
                return
            line = "/help"
        await self.run_again(chat.id, chat.type, user, {"kind": "command", "line": line})

    async def on_callback(self, query: CallbackQuery) -> None:
        # Answered first: Telegram shows a spinner until then, and slow work follows.
        await call(self.bot, AnswerCallbackQuery(callback_query_id=query.id))
        message = query.message
        if message is None or not query.data:
            return
        chat = message.chat
        if not await self._admitted(chat.id, chat.type, query.from_user):
            return
        data = query.data
        if data.startswith(MULTI):
            await self.toggle(chat.id, chat.type, message.message_id, query.from_user, data)
            return
        press = await self.callbacks.press(data)
        if press is None:
            await self.send(chat.id, Reply.error(GONE))
            return
        again = {"kind": "action", "action": press.action, "values": list(press.values)}
        await self.run_again(chat.id, chat.type, query.from_user, again)

    async def toggle(
        self, chat_id: int, chat_type: str, message_id: int, user: User, data: str
    ) -> None:
        key, _, what = data[1:].rpartition(":")
        state = await self.callbacks.multi_state(key)
        if state is None:
            await self.send(chat_id, Reply.error(GONE))
            return
        picker = Callbacks.picker_of(state)
        chosen = {int(i) for i in state["chosen"]}
        if what == "d":
            if len(chosen) < picker.min_values:
                await self.send(chat_id, Reply.error(f"Tick at least {picker.min_values} first."))
                return
            values = [picker.choices[i].value for i in sorted(chosen)]
            again = {"kind": "action", "action": picker.action, "values": values}
            await self.run_again(chat_id, chat_type, user, again)
            return
        if not what.isdigit() or int(what) >= len(picker.choices):
            return
        index = int(what)
        if index in chosen:
            chosen.discard(index)
        elif len(chosen) < picker.max_values:
            chosen.add(index)
        state["chosen"] = sorted(chosen)
        await self.callbacks.save_multi(key, state)
        markup = InlineKeyboardMarkup(inline_keyboard=multi_rows(picker, key, chosen))
        try:
            await call(
                self.bot,
                EditMessageReplyMarkup(chat_id=chat_id, message_id=message_id, reply_markup=markup),
            )
        except TelegramBadRequest as exc:
            log.info("telegram: keyboard of message %s not updated: %s", message_id, exc)

    async def typed_pick(self, chat_id: int, user: User, text: str) -> None:
        """`2`, `1,3`, `all` or `b1` typed in a private chat: answers the last list there."""
        pending = await self.pending(chat_id)
        reply = await self.dialog.answer(await self.context(user), text, pending)
        await self.send(chat_id, reply)
        await self.remember(chat_id, reply, pending)

    async def pending(self, chat_id: int) -> Pending:
        return pending_from_json(await self.records.get(f"{PENDING_PREFIX}{chat_id}"))

    async def remember(self, chat_id: int, reply: Reply, pending: Pending | None = None) -> None:
        """What a private chat can answer by typing after `reply` (kept, as buttons are)."""
        before = await self.pending(chat_id) if pending is None else pending
        after = before.after(reply)
        if after != before:
            await self.records.put(f"{PENDING_PREFIX}{chat_id}", pending_to_json(after))

    # --- running and answering ----------------------------------------------------------
    async def answer(self, user: User, again: dict[str, Any]) -> Reply:
        ctx = await self.context(user)
        registry = self.app.registry
        if again["kind"] == "action":
            return await registry.act(ctx, str(again["action"]), list(again.get("values", [])))
        parsed = parse_command_line(str(again["line"]), registry)
        if isinstance(parsed, str):
            return Reply.error(parsed)
        name, options = parsed
        return await registry.run(ctx, name, options)

    async def run_again(
        self, chat_id: int, chat_type: str, user: User, again: dict[str, Any]
    ) -> None:
        reply = await self.answer(user, again)
        # Only what is for the asker alone (links, QR codes, accounts) leaves the group; lists
        # and cards stay where they were asked, as people in a group expect.
        if chat_type == "private" or not reply.for_asker_only:
            await self.send(chat_id, reply)
            if chat_type == "private":
                await self.remember(chat_id, reply)
            return
        if await self.send_private(user.id, reply):
            await self.remember(user.id, reply)
            await self.send(
                chat_id, Reply.notice(f"{user.first_name}, I sent it to you privately.")
            )
            return
        token = secrets.token_urlsafe(12)
        await self.records.put(DEEP_LINK_PREFIX + token, {"user": user.id, "again": again})
        link = f"https://t.me/{self.username}?start={token}"
        await self.send(
            chat_id,
            Reply(
                text=f"{user.first_name}, that answer is private: [open a chat with me]({link}) "
                "and press Start to get it."
            ),
        )

    async def deep_link(self, chat_id: int, user: User, token: str) -> None:
        key = DEEP_LINK_PREFIX + token
        record = await self.records.get(key)
        if not isinstance(record, dict) or record.get("user") != user.id:
            await self.send(chat_id, Reply.notice("Hello! Type /help for what I can do."))
            return
        await self.records.put(key, {"user": None, "used": True})  # used: ages out
        reply = await self.answer(user, record["again"])
        await self.send(chat_id, reply)
        await self.remember(chat_id, reply)

    async def send_private(self, user_id: int, reply: Reply) -> bool:
        try:
            await self.send(user_id, reply, raise_forbidden=True)
        except TelegramForbiddenError:
            return False
        except TelegramBadRequest as exc:  # "chat not found": never started the bot
            log.info("telegram: private message to %s not sent: %s", user_id, exc)
            return False
        return True

    async def send(
        self, chat_id: int, reply: Reply, *, raise_forbidden: bool = False
    ) -> list[Message]:
        sent: list[Message] = []
        for out in await render(reply, self.callbacks):
            try:
                sent.append(await self._send_one(chat_id, out))
            except TelegramForbiddenError:
                if raise_forbidden:
                    raise
                log.info("telegram: chat %s does not take messages from the bot", chat_id)
                break
        return sent

    async def _send_one(self, chat_id: int, out: Outgoing) -> Message:
        photo = await self._photo(out)
        if photo is not None:
            return await call(
                self.bot,
                SendPhoto(
                    chat_id=chat_id,
                    photo=photo,
                    caption=out.html or None,
                    parse_mode="HTML",
                    reply_markup=out.keyboard,
                ),
            )
        return await call(
            self.bot,
            SendMessage(
                chat_id=chat_id,
                text=out.html or html.escape("…"),
                parse_mode="HTML",
                reply_markup=out.keyboard,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            ),
        )

    async def _photo(self, out: Outgoing) -> BufferedInputFile | None:
        if out.file is not None:
            return BufferedInputFile(out.file[1], filename=out.file[0])
        if out.cover is None:
            return None
        data = await self._cover(out.cover)
        if data is None:
            return None
        return BufferedInputFile(data, filename=out.cover.rsplit("/", 1)[-1])

    async def _cover(self, path: str) -> bytes | None:
        data = self._covers.get(path)
        if data is not None:
            self._covers.move_to_end(path)
            return data
        try:
            data = await self.app.services.client.web_asset(path, max_bytes=COVER_MAX_BYTES)
        except RommError as exc:
            log.info("telegram: cover %s not fetched (%s)", path, type(exc).__name__)
            return None
        self._covers[path] = data
        while sum(len(v) for v in self._covers.values()) > COVER_CACHE_BYTES:
            self._covers.popitem(last=False)
        return data
