"""The real discord.py works against tests.fakes.discord (REST + gateway on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import base64
import io
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.pytest_helpers import (
    FAST_CLIENT_OPTIONS,
    BotErrors,
    discord_pointed_at,
    running,
    serve_fake_discord,
)
from tests.helpers.waiting import eventually

pytestmark = pytest.mark.timeout(20)

PNG = base64.b64decode(  # a 1x1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
PLATFORMS = {"n64": "Nintendo 64", "switch": "Nintendo Switch", "psx": "PlayStation"}


class GameMenu(discord.ui.View):
    """A persistent view: no timeout, every item has a custom_id."""

    def __init__(self, seen: list[tuple[str, Any]]) -> None:
        super().__init__(timeout=None)
        self.seen = seen

    @discord.ui.select(
        custom_id="menu:platform",
        placeholder="Platform",
        options=[discord.SelectOption(label=name, value=key) for key, name in PLATFORMS.items()],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select[Any]) -> None:
        self.seen.append(("select", list(select.values)))
        await interaction.response.edit_message(content=f"platform: {select.values[0]}")

    @discord.ui.button(label="Refresh", custom_id="menu:refresh")
    async def refresh(
        self, interaction: discord.Interaction, button: discord.ui.Button[Any]
    ) -> None:
        self.seen.append(("button", interaction.message.id if interaction.message else None))
        await interaction.response.send_message("refreshed", ephemeral=True)

    @discord.ui.button(label="Reload", custom_id="menu:reload")
    async def reload(
        self, interaction: discord.Interaction, button: discord.ui.Button[Any]
    ) -> None:
        self.seen.append(("reload", None))
        await interaction.response.defer()  # type 6: acknowledge, edit the message later
        await interaction.edit_original_response(content="reloaded")


class RequestForm(discord.ui.Modal, title="Request a game"):
    game: discord.ui.TextInput[Any] = discord.ui.TextInput(label="Game", custom_id="request:game")
    note: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Note", custom_id="request:note", required=False
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"requested {self.game.value}", ephemeral=True)


class FakeTestBot(commands.Bot):
    """A small bot exercising the interaction shapes the product uses."""

    def __init__(self, fd: FakeDiscord, *, members_intent: bool = True) -> None:
        intents = discord.Intents.default()
        intents.members = members_intent
        super().__init__(
            command_prefix=commands.when_mentioned, intents=intents, **FAST_CLIENT_OPTIONS
        )
        self.fd = fd
        self.view_events: list[tuple[str, Any]] = []
        self.events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self.errors = BotErrors().install(self, self.tree)
        self._add_commands()

    async def setup_hook(self) -> None:
        self.add_view(self.errors.watch_view(GameMenu(self.view_events)))
        guild = discord.Object(self.fd.guild.id)
        self.tree.copy_global_to(guild=guild)
        await self.tree.sync(guild=guild)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await self.events.put(("reaction", payload))

    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        await self.events.put(("member_update", (before, after)))

    def _add_commands(self) -> None:
        tree = self.tree

        @tree.command(name="search", description="Search a game")
        @app_commands.describe(platform="Platform", game="Game title")
        async def search(interaction: discord.Interaction, platform: str, game: str) -> None:
            embed = discord.Embed(title=f"Results for {game}", color=0x5865F2)
            embed.add_field(name="Platform", value=PLATFORMS.get(platform, platform))
            await interaction.response.send_message(embed=embed)

        @search.autocomplete("platform")
        async def platform_choices(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            return [
                app_commands.Choice(name=name, value=key)
                for key, name in PLATFORMS.items()
                if current.lower() in name.lower()
            ]

        @tree.command(name="cover", description="Slow answer with a cover")
        async def cover(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.edit_original_response(content="found 1 game")
            file = discord.File(io.BytesIO(PNG), filename="cover.png")
            await interaction.followup.send("here is the cover", file=file)

        @tree.command(name="think", description="Defer then follow up only")
        async def think(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True, ephemeral=True)
            await interaction.followup.send("thought about it")

        @tree.command(name="secret", description="Ephemeral answer")
        async def secret(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("only you", ephemeral=True)

        @tree.command(name="request", description="Request a game")
        async def request(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(RequestForm())

        @tree.command(name="menu", description="Show the game menu")
        async def menu(interaction: discord.Interaction) -> None:
            view = self.errors.watch_view(GameMenu(self.view_events))
            await interaction.response.send_message("pick a platform", view=view)


@pytest.fixture
async def fd() -> AsyncIterator[FakeDiscord]:
    async with serve_fake_discord() as fake:
        yield fake


async def next_event(bot: FakeTestBot, kind: str) -> Any:
    while True:
        got_kind, value = await asyncio.wait_for(bot.events.get(), 3.0)
        if got_kind == kind:
            return value


# -- connection and commands ----------------------------------------------------------------


async def test_connects_with_guild_cached_and_commands_synced(fd: FakeDiscord) -> None:
    member = fd.add_member(name="alice", roles=[fd.role_named("Admin").id])
    bot = FakeTestBot(fd)
    async with running(bot, fd):
        guild = bot.get_guild(fd.guild.id)
        assert guild is not None and guild.chunked
        assert {m.name for m in guild.members} == {"owner", "RomM-ComM", "alice"}
        assert guild.get_member(member.user.id).get_role(fd.role_named("Admin").id)  # type: ignore[union-attr]
        assert "general" in {c.name for c in guild.text_channels}
        assert bot.user is not None and bot.user.id == fd.bot.id
        assert bot.application_id == fd.application_id
    synced = {c["name"]: c for c in fd.commands[fd.guild.id]}
    assert set(synced) == {"search", "cover", "think", "secret", "request", "menu"}
    options = {o["name"]: o for o in synced["search"]["options"]}
    assert options["platform"]["autocomplete"] is True and options["platform"]["required"] is True
    assert options["game"]["type"] == 3
    assert [c.path for c in fd.requests[:2]] == ["/users/@me", "/oauth2/applications/@me"]
    bot.errors.assert_empty()


async def test_command_ids_are_reused_on_resync(fd: FakeDiscord) -> None:
    bot = FakeTestBot(fd)
    async with running(bot, fd):
        first = {c["name"]: c["id"] for c in fd.commands[fd.guild.id]}
        synced = await bot.tree.sync(guild=discord.Object(fd.guild.id))
    assert {c.name: str(c.id) for c in synced} == first
    assert len(fd.calls("PUT", "/applications/{app}/guilds/{guild}/commands")) == 2


async def test_bad_token_fails_login(fd: FakeDiscord) -> None:
    bot = FakeTestBot(fd)
    with pytest.raises(discord.LoginFailure):
        await bot.start("not-the-token")
    await bot.close()
    assert fd.requests[-1].status == 401


# -- interactions ---------------------------------------------------------------------------


async def test_slash_command_answered_with_embed(fd: FakeDiscord) -> None:
    bot = FakeTestBot(fd)
    async with running(bot, fd):
        rec = await fd.slash(fd.owner.id, "search", {"platform": "n64", "game": "mario"})
        reply = await rec.wait_reply()
    assert reply.type == 4 and not reply.ephemeral
    embed = reply.embeds[0]
    assert embed["title"] == "Results for mario"
    assert embed["fields"] == [{"name": "Platform", "value": "Nintendo 64", "inline": True}]
    assert rec.original is not None and rec.original.embeds[0]["title"] == "Results for mario"
    assert fd.messages(rec.channel_id) == [rec.original]
    bot.errors.assert_empty()


async def test_a_callback_after_discords_deadline_is_refused(fd: FakeDiscord) -> None:
    """Like Discord: a first callback later than its 3 s is 10062 Unknown interaction, so a
    bot too slow to answer gets no reply in any test (tests need not time answers)."""
    fd.interaction_deadline = -1.0  # every callback is late, whatever the machine's speed
    bot = FakeTestBot(fd)
    async with running(bot, fd):
        rec = await fd.slash(fd.owner.id, "search", {"platform": "n64", "game": "mario"})
        refused = await fd.wait_call("POST", "/interactions/{id}/{token}/callback")
    assert refused.status == 404 and rec.reply is None
    assert fd.messages(rec.channel_id) == []


async def test_deferred_command_edits_original_then_follows_up_with_file(fd: FakeDiscord) -> None:
    bot = FakeTestBot(fd)
    async with running(bot, fd):
        rec = await fd.slash(fd.owner.id, "cover")
        assert (await rec.wait_reply()).type == 5
        final = await rec.wait_final(followups=1)
        think = await fd.slash(fd.owner.id, "think")
        thought = await think.wait_final(followups=1)
    assert final is not None and final.content == "found 1 game" and not final.loading
    assert rec.original_edits == 1
    [followup] = rec.followups
    assert followup.content == "here is the cover"
    [attachment] = followup.attachments
    assert (attachment.filename, attachment.data) == ("cover.png", PNG)
    assert attachment.content_type == "image/png"
    # First follow-up after a thinking defer replaces the loading message, keeping it ephemeral.
    assert thought is not None and thought.content == "thought about it"
    assert think.followups == [thought] and thought.ephemeral
    bot.errors.assert_empty()


async def test_ephemeral_reply_is_flagged(fd: FakeDiscord) -> None:
    bot = FakeTestBot(fd)
    async with running(bot, fd):
        rec = await fd.slash(fd.owner.id, "secret")
        reply = await rec.wait_reply()
        channel = bot.get_partial_messageable(rec.channel_id)
        visible = [m async for m in channel.history(limit=10)]
    assert reply.ephemeral and reply.content == "only you"
    assert rec.original is not None and rec.original.ephemeral
    assert visible == []
    bot.errors.assert_empty()


async def test_autocomplete_offers_matching_choices(fd: FakeDiscord) -> None:
    bot = FakeTestBot(fd)
    async with running(bot, fd):
        choices = await fd.autocomplete(
            fd.owner.id, "search", {"platform": "nin"}, focused="platform"
        )
    assert choices == [
        {"name": "Nintendo 64", "value": "n64"},
        {"name": "Nintendo Switch", "value": "switch"},
    ]
    bot.errors.assert_empty()


async def test_fake_refuses_what_a_discord_client_cannot_send(fd: FakeDiscord) -> None:
    bot = FakeTestBot(fd)
    async with running(bot, fd):
        with pytest.raises(ValueError, match="no option 'title'"):
            await fd.slash(fd.owner.id, "search", {"platform": "n64", "title": "x"})
        with pytest.raises(ValueError, match="required"):
            await fd.slash(fd.owner.id, "search", {"platform": "n64"})
        with pytest.raises(LookupError, match="not synced"):
            await fd.slash(fd.owner.id, "nope")


async def test_persistent_view_select_and_button_survive_a_restart(fd: FakeDiscord) -> None:
    bot = FakeTestBot(fd)
    async with running(bot, fd):
        rec = await fd.slash(fd.owner.id, "menu")
        await rec.wait_reply()
        assert rec.original is not None
        menu_id = rec.original.id
        picked = await fd.select(fd.owner.id, menu_id, "menu:platform", ["switch"])
        assert (await picked.wait_reply()).type == 7
        clicked = await fd.click(fd.owner.id, menu_id, "menu:refresh")
        assert (await clicked.wait_reply()).ephemeral
        reloaded = await fd.click(fd.owner.id, menu_id, "menu:reload")
        assert (await reloaded.wait_reply()).type == 6
        await reloaded.wait_final()
    assert fd.message(menu_id).content == "reloaded"  # type: ignore[union-attr]
    assert bot.view_events == [("select", ["switch"]), ("button", menu_id), ("reload", None)]
    bot.errors.assert_empty()

    restarted = FakeTestBot(fd)  # a new process would build a new client the same way
    async with running(restarted, fd):
        again = await fd.click(fd.owner.id, menu_id, "menu:refresh")
        reply = await again.wait_reply()
        picked = await fd.select(fd.owner.id, menu_id, "menu:platform", ["psx"])
        await picked.wait_reply()
    assert reply.content == "refreshed"
    assert restarted.view_events == [("button", menu_id), ("select", ["psx"])]
    assert fd.message(menu_id).content == "platform: psx"  # type: ignore[union-attr]
    restarted.errors.assert_empty()
    assert fd.gateway.identify_count == 2


async def test_modal_opened_and_submitted(fd: FakeDiscord) -> None:
    bot = FakeTestBot(fd)
    async with running(bot, fd):
        opened = await fd.slash(fd.owner.id, "request")
        modal = await opened.wait_reply()
        submitted = await fd.submit_modal(fd.owner.id, opened, {"request:game": "Zelda"})
        reply = await submitted.wait_reply()
        with pytest.raises(ValueError, match="required"):
            await fd.submit_modal(fd.owner.id, opened, {"request:note": "pls"})
    assert modal.type == 9 and modal.data["title"] == "Request a game"
    assert (reply.content, reply.ephemeral) == ("requested Zelda", True)
    bot.errors.assert_empty()


# -- channels, rate limits, presence, DMs -----------------------------------------------------


async def test_voice_channel_created_then_renamed_through_a_429(fd: FakeDiscord) -> None:
    bot = FakeTestBot(fd)
    async with running(bot, fd):
        guild = bot.get_guild(fd.guild.id)
        assert guild is not None
        category = await guild.create_category("Stats")
        everyone_hidden: dict[discord.Role | discord.Member | discord.Object, Any] = {
            guild.default_role: discord.PermissionOverwrite(connect=False)
        }
        voice = await guild.create_voice_channel(
            "Games: 10", category=category, overwrites=everyone_hidden
        )
        rule = fd.rate_limit("PATCH", "/channels/{id}", times=1, retry_after=0.05)
        started = asyncio.get_running_loop().time()
        await voice.edit(name="Games: 11")
        waited = asyncio.get_running_loop().time() - started
        await eventually(lambda: getattr(bot.get_channel(voice.id), "name", "") == "Games: 11")
    stored = fd.channels[voice.id]
    assert (stored.type, stored.name, stored.parent_id) == (2, "Games: 11", category.id)
    assert stored.permission_overwrites[0]["id"] == str(fd.guild.id)
    assert len(rule.hits) == 1 and waited >= 0.045  # slept retry_after
    assert [c.status for c in fd.calls("PATCH", "/channels/{id}")] == [429, 200]
    bot.errors.assert_empty()


async def test_presence_update_is_recorded(fd: FakeDiscord) -> None:
    bot = FakeTestBot(fd)
    async with running(bot, fd):
        await bot.change_presence(activity=discord.Game("1234 games"))
        await eventually(lambda: fd.presence is not None and bool(fd.presence.get("activities")))
    assert fd.presence is not None
    assert fd.presence["activities"][0]["name"] == "1234 games"


async def test_dm_to_member_with_closed_dms_is_forbidden(fd: FakeDiscord) -> None:
    shy = fd.add_member(name="shy", dms_open=False)
    open_ = fd.add_member(name="open")
    bot = FakeTestBot(fd)
    async with running(bot, fd):
        guild = bot.get_guild(fd.guild.id)
        assert guild is not None
        await guild.get_member(open_.user.id).send("your ROM is ready")  # type: ignore[union-attr]
        with pytest.raises(discord.Forbidden) as caught:
            await guild.get_member(shy.user.id).send("hello")  # type: ignore[union-attr]
    assert caught.value.code == 50007
    assert [m.content for m in fd.dm_messages(open_.user.id)] == ["your ROM is ready"]
    assert fd.dm_messages(shy.user.id) == []
    fd.assert_no_errors()


@pytest.mark.parametrize("how", ["close_code", "portal_setting"])
async def test_missing_privileged_intent_raises(fd: FakeDiscord, how: str) -> None:
    if how == "close_code":
        fd.close_code_on_identify = 4014
    else:
        fd.privileged_intents = 0
    bot = FakeTestBot(fd)
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with running(bot, fd):
            pass
    assert bot.is_closed()


# -- events -----------------------------------------------------------------------------------


async def test_reaction_reaches_on_raw_reaction_add(fd: FakeDiscord) -> None:
    general = fd.channel_named("general")
    bot = FakeTestBot(fd)
    async with running(bot, fd):
        channel = bot.get_channel(general.id)
        assert isinstance(channel, discord.TextChannel)
        sent = await channel.send("react with 📱 for a QR code")
        await sent.add_reaction("📱")
        await fd.react(fd.owner.id, general.id, sent.id, "📱")
        own = await next_event(bot, "reaction")
        theirs = await next_event(bot, "reaction")
    assert own.user_id == fd.bot.id
    assert (theirs.user_id, theirs.message_id, str(theirs.emoji)) == (fd.owner.id, sent.id, "📱")
    assert theirs.member is not None and theirs.member.name == "owner"
    assert fd.message(sent.id).reactions == {"📱": [fd.bot.id, fd.owner.id]}  # type: ignore[union-attr]
    bot.errors.assert_empty()


async def test_member_role_change_reaches_on_member_update(fd: FakeDiscord) -> None:
    player = fd.add_member(name="player")
    vip = fd.add_role("VIP")
    bot = FakeTestBot(fd)
    async with running(bot, fd):
        await fd.update_member_roles(player.user.id, [vip.id])
        before, after = await next_event(bot, "member_update")
    assert [r.name for r in before.roles] == ["@everyone"]
    assert [r.name for r in after.roles] == ["@everyone", "VIP"]


async def test_emoji_slots_follow_the_premium_tier(fd: FakeDiscord) -> None:
    for i in range(49):
        fd.add_emoji(f"filler_{i}", PNG)
    bot = FakeTestBot(fd)
    async with running(bot, fd):
        guild = bot.get_guild(fd.guild.id)
        assert guild is not None and guild.emoji_limit == 50
        await guild.create_custom_emoji(name="n64", image=PNG)
        with pytest.raises(discord.HTTPException) as full:
            await guild.create_custom_emoji(name="snes", image=PNG)
        fd.set_premium_tier(1)
        await eventually(lambda: guild.premium_tier == 1)
        emoji = await guild.create_custom_emoji(name="snes", image=PNG)
        await eventually(lambda: len(guild.emojis) == 51)
    assert full.value.code == 30008
    assert guild.emoji_limit == 100
    assert fd.guild.emojis[emoji.id].image == PNG and len(fd.emojis) == 51
    bot.errors.assert_empty()


async def test_reconnect_resumes_and_replays_missed_events(fd: FakeDiscord) -> None:
    bot = FakeTestBot(fd)
    async with running(bot, fd):
        fd.request_reconnect()
        fd.add_text_channel("Late News")  # dispatched while the bot is away: replayed
        await eventually(lambda: fd.gateway.resume_count == 1)
        await eventually(lambda: any(c.name == "late-news" for c in bot.get_all_channels()))
        rec = await fd.slash(fd.owner.id, "secret")
        await rec.wait_reply()
    assert fd.gateway.identify_count == 1
    bot.errors.assert_empty()


# -- the fake's own error reporting -----------------------------------------------------------


async def test_unknown_route_is_a_json_404_and_recorded() -> None:
    async with FakeDiscord() as fake, aiohttp.ClientSession() as http:
        auth = {"Authorization": f"Bot {fake.token}"}
        async with http.get(fake.api_url + "/no/such/route", headers=auth) as resp:
            assert resp.status == 404
            assert resp.headers["Content-Type"] == "application/json"
            assert await resp.json() == {"message": "404: Not Found", "code": 0}
        async with http.post(
            fake.api_url + "/channels/1/messages",
            data=b"{",
            headers={**auth, "Content-Type": "application/json"},
        ) as resp:
            assert resp.status == 400
    assert [e.kind for e in fake.errors] == ["unknown_route", "invalid_request"]
    assert fake.requests[0].path == "/no/such/route"


async def test_pointing_is_restored() -> None:
    before = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    async with FakeDiscord() as fake:
        with discord_pointed_at(fake):
            assert fake.api_url == discord.http.Route.BASE
            assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == fake.gateway_url
    assert before == (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
