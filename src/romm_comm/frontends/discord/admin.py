"""Who is an admin on Discord: listed users (ADMIN_IDS), listed roles (ADMIN_ROLE_IDS), the
server owner and members with the Administrator permission. Checked on every interaction,
whatever Discord's own command permissions show or hide."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import discord


@dataclass(frozen=True)
class AdminPolicy:
    user_ids: frozenset[int]
    role_ids: frozenset[int]

    @classmethod
    def of(cls, user_ids: Iterable[int], role_ids: Iterable[int]) -> AdminPolicy:
        return cls(frozenset(user_ids), frozenset(role_ids))

    def decide(
        self, user_id: int, role_ids: Iterable[int], *, administrator: bool, owner: bool
    ) -> bool:
        if user_id in self.user_ids or administrator or owner:
            return True
        return any(role in self.role_ids for role in role_ids)

    def is_admin(self, user: discord.abc.User, guild: discord.Guild | None = None) -> bool:
        """For a user or member as discord.py hands it over (interaction, reaction)."""
        if isinstance(user, discord.Member):
            owner = user.guild.owner_id == user.id
            # Interaction members carry their resolved permissions; cached ones compute them.
            perms = user.resolved_permissions or user.guild_permissions
            return self.decide(
                user.id,
                (r.id for r in user.roles),
                administrator=perms.administrator,
                owner=owner,
            )
        owner = guild is not None and guild.owner_id == user.id
        return self.decide(user.id, (), administrator=False, owner=owner)
