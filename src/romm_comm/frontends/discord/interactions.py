"""Answering interactions: slash commands, autocomplete and every component, within 3 s.

The work (a registry command or action) starts at once; if it is done within `defer_after`
the answer is the first response (one round trip), otherwise the interaction is deferred
and the answer edits the original response later. Whatever happens, the person ends up with
an answer: a failure becomes a short ephemeral sentence, never "The application did not
respond".

Components: every custom id is an action id handled by `Registry.act`, so buttons and select
menus keep working after a restart (no per-message state). A button whose answer is another
page of the same thing (it carries a component with the same action prefix: ◀ / ▶ pagers)
updates its message in place; every other answer is a new message, so a pick list or a game
card stays usable.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from ...core.cards import Reply
from ...core.commands import Caller, CommandSpec, OptionSpec, Registry
from ...features.context import Context
from .admin import AdminPolicy
from .render import clip, render, unicode_emoji

log = logging.getLogger(__name__)

SLOW_MESSAGE = "RomM is not answering; try again in a minute."
BROKEN_MESSAGE = "Something went wrong on the bot's side; the admins can see it in the log."
BUTTON, SELECT = 2, 3

AfterWork = Callable[[], Awaitable[None]]


class Responder:
    def __init__(
        self,
        registry: Registry,
        context_of: Callable[[Caller], Context],
        admins: AdminPolicy,
        *,
        defer_after: float = 0.4,
        answer_timeout: float = 60.0,
        after_work: AfterWork | None = None,
    ) -> None:
        self.registry = registry
        self.context_of = context_of
        self.admins = admins
        self.defer_after = defer_after
        self.answer_timeout = answer_timeout
        self.after_work = after_work
        # Whether each command's last reply was private: the best guess for how to defer it.
        self._private_hint: dict[str, bool] = {}

    def caller(self, interaction: discord.Interaction) -> Caller:
        user = interaction.user
        return Caller(
            id=str(user.id),
            name=user.display_name,
            front_end="discord",
            is_admin=self.admins.is_admin(user, interaction.guild),
        )

    # --- slash commands and autocomplete -----------------------------------------------
    async def command(
        self, interaction: discord.Interaction, spec: CommandSpec, raw: dict[str, Any]
    ) -> None:
        ctx = self.context_of(self.caller(interaction))
        hint = self._private_hint.get(spec.name, spec.private)
        reply = await self._answer(
            interaction, self.registry.run(ctx, spec.name, raw), mode="new", private_hint=hint
        )
        if reply is not None:
            self._private_hint[spec.name] = reply.private

    async def complete(
        self, interaction: discord.Interaction, spec: CommandSpec, opt: OptionSpec, partial: str
    ) -> list[app_commands.Choice[str]]:
        ctx = self.context_of(self.caller(interaction))
        found = await self.registry.complete(ctx, spec.name, opt.name, str(partial or ""))
        choices = []
        for choice in found[:25]:
            icon = unicode_emoji(choice.emoji)
            label = f"{icon} {choice.label}" if icon else choice.label
            choices.append(app_commands.Choice(name=clip(label, 100), value=choice.value[:100]))
        return choices

    # --- components ----------------------------------------------------------------------
    async def component(self, interaction: discord.Interaction) -> None:
        data: Any = interaction.data or {}
        custom_id = str(data.get("custom_id") or "")
        values = [str(v) for v in data.get("values") or []]
        kind = int(data.get("component_type") or 0)
        if not custom_id or kind not in (BUTTON, SELECT):
            return
        ctx = self.context_of(self.caller(interaction))
        mode = "update" if kind == BUTTON else "new"
        work = self.registry.act(ctx, custom_id, values)
        await self._answer(interaction, work, mode=mode, private_hint=True, pressed=custom_id)

    # --- the answer ----------------------------------------------------------------------
    async def _answer(
        self,
        interaction: discord.Interaction,
        work: Awaitable[Reply],
        *,
        mode: str,
        private_hint: bool,
        pressed: str = "",
    ) -> Reply | None:
        task = asyncio.ensure_future(work)
        deferred: str | None = None
        try:
            done, _ = await asyncio.wait({task}, timeout=self.defer_after)
            if not done:
                deferred = await self._defer(interaction, mode, private_hint)
                done, _ = await asyncio.wait({task}, timeout=self.answer_timeout)
            if done:
                reply = task.result()
            else:
                task.cancel()
                reply = Reply.error(SLOW_MESSAGE)
        except Exception:
            task.cancel()
            await self._last_word(interaction, deferred)
            raise
        try:
            replace = mode == "update" and _continues(pressed, reply)
            await self._deliver(interaction, reply, replace, deferred)
        except Exception:
            await self._last_word(interaction, deferred)
            raise
        if self.after_work is not None:
            await self.after_work()
        return reply

    async def _defer(self, interaction: discord.Interaction, mode: str, private: bool) -> str:
        if mode == "update":
            await interaction.response.defer()  # "deferred update": the message stays
            return "update"
        await interaction.response.defer(ephemeral=private, thinking=True)
        return "private" if private else "public"

    async def _deliver(
        self, interaction: discord.Interaction, reply: Reply, replace: bool, deferred: str | None
    ) -> None:
        out = render(reply)
        message = interaction.message
        on_private_message = bool(message is not None and message.flags.ephemeral)
        # A private answer never replaces a public message.
        replace = replace and (on_private_message or not reply.private)
        if deferred is None:
            if replace:
                await interaction.response.edit_message(**out.edit_kwargs())
            else:
                await interaction.response.send_message(
                    **out.send_kwargs(), ephemeral=out.ephemeral
                )
            return
        if deferred == "update":
            if replace:
                await interaction.edit_original_response(**out.edit_kwargs())
            else:
                await interaction.followup.send(**out.send_kwargs(), ephemeral=out.ephemeral)
            return
        if deferred == "public" and out.ephemeral:
            # The "thinking…" message is public; private answers must not replace it.
            await interaction.delete_original_response()
            await interaction.followup.send(**out.send_kwargs(), ephemeral=True)
            return
        await interaction.edit_original_response(**out.edit_kwargs())

    async def _last_word(self, interaction: discord.Interaction, deferred: str | None) -> None:
        """After a crash: make sure the person sees a short sentence, not a spinner.

        Plain text only: nothing here may depend on the rendering that just failed."""
        try:
            if not interaction.response.is_done():
                await interaction.response.send_message(BROKEN_MESSAGE, ephemeral=True)
            elif deferred in ("private", "public"):
                await interaction.edit_original_response(
                    content=BROKEN_MESSAGE, embeds=[], view=None, attachments=[]
                )
            else:
                await interaction.followup.send(BROKEN_MESSAGE, ephemeral=True)
        except discord.HTTPException as exc:
            log.warning("could not tell the user about a failure: %s", exc)


def _continues(pressed: str, reply: Reply) -> bool:
    """Is the reply another page of what the pressed button showed (same action prefix)?"""
    if reply.tone == "error" or not pressed:
        return False
    prefix = pressed.split(":", 1)[0]
    actions = [b.action for b in reply.buttons]
    if reply.picker is not None:
        actions.append(reply.picker.action)
    return any(a.split(":", 1)[0] == prefix for a in actions)
