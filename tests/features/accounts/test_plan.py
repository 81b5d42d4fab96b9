"""The reconciler as a pure function: each rule, and that nothing happens on a guess."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from romm_comm.features.accounts.plan import (
    Account,
    Action,
    Invite,
    Link,
    Member,
    Situation,
    pick_username,
    plan,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CREATED = "2026-11-01T10:00:00+00:00"
BOT_ID = 1


def account(uid: int, name: str, *, role: str = "user", enabled: bool = True) -> Account:
    return Account(uid, name, role, enabled, CREATED)


def link(key: str, uid: int, name: str, **extra: object) -> Link:
    values: dict[str, object] = {
        "member_key": key,
        "member_name": key.split(":")[1],
        "romm_id": uid,
        "romm_username": name,
        "state": "active",
        "origin": "created",
        "created_by_bot": True,
        "verified": True,
        "romm_created_at": CREATED,
    }
    values.update(extra)
    return Link(**values)  # type: ignore[arg-type]


def situation(
    members: list[Member] = (),  # type: ignore[assignment]
    links: list[Link] = (),  # type: ignore[assignment]
    accounts: list[Account] = (),  # type: ignore[assignment]
    invites: list[Invite] = (),  # type: ignore[assignment]
    **extra: object,
) -> Situation:
    values: dict[str, object] = {
        "members": {m.key: m for m in members},
        "complete": True,
        "links": {lk.member_key: lk for lk in links},
        "invites": {i.member_key: i for i in invites},
        "accounts": {a.id: a for a in [account(BOT_ID, "bot", role="admin"), *accounts]},
        "protected": frozenset({BOT_ID}),
        "now": NOW,
        "delete_after": None,
        "mode": "invite",
    }
    values.update(extra)
    return Situation(**values)  # type: ignore[arg-type]


def kinds(s: Situation) -> list[tuple[str, str]]:
    return [(a.kind, a.member_key) for a in plan(s).actions]


def holder(key: str, *, holds: bool = True, present: bool = True) -> Member:
    return Member(key, key.split(":")[1], holds, present)


def test_a_new_role_holder_is_invited_on_romm_5_and_gets_an_account_before() -> None:
    members = [holder("discord:1")]
    assert kinds(situation(members)) == [("invite", "discord:1")]
    assert kinds(situation(members, mode="create")) == [("create", "discord:1")]
    assert kinds(situation(members, mode="off")) == []
    assert "cannot be made" in plan(situation(members, mode="off")).notes[0]


def test_losing_the_role_disables_a_bot_account_and_getting_it_back_re_enables_it() -> None:
    bob = account(5, "bob")
    active = link("discord:2", 5, "bob")
    assert kinds(situation([holder("discord:2", holds=False)], [active], [bob])) == [
        ("disable", "discord:2")
    ]
    left = plan(situation([holder("discord:2", holds=False, present=False)], [active], [bob]))
    assert left.actions[0].reason == "left the server"
    disabled = link("discord:2", 5, "bob", state="disabled", disabled_at=NOW)
    off = account(5, "bob", enabled=False)
    assert kinds(situation([holder("discord:2")], [disabled], [off])) == [("enable", "discord:2")]
    assert kinds(situation([holder("discord:2")], [active], [bob])) == []


@pytest.mark.parametrize(
    ("target", "extra", "reason"),
    [
        (account(BOT_ID, "bot", role="admin"), {}, "the bot's own RomM account"),
        (account(7, "boss", role="admin"), {}, "a RomM admin"),
        (account(7, "alice"), {"created_by_bot": False, "origin": "linked"}, "did not create"),
    ],
)
def test_protected_accounts_are_never_disabled_only_unlinked_with_the_reason(
    target: Account, extra: dict[str, object], reason: str
) -> None:
    lk = link("discord:3", target.id, target.username, **extra)
    (action,) = plan(situation([holder("discord:3", holds=False)], [lk], [target])).actions
    assert action.kind == "refuse" and reason in action.reason
    assert not action.destructive


def test_an_imported_claim_is_only_unlinked_and_shown_as_unproven_while_held() -> None:
    claim = link("discord:4", 9, "alice", verified=False, created_by_bot=False)
    alice = account(9, "alice")
    (action,) = plan(situation([holder("discord:4", holds=False)], [claim], [alice])).actions
    assert action.kind == "unlink"
    held = plan(situation([holder("discord:4")], [claim], [alice]))
    assert held.empty and "not proven" in held.notes[0]


def test_deletion_waits_for_the_grace_period_and_never_comes_without_one() -> None:
    since = NOW - timedelta(days=10)
    lk = link("discord:5", 6, "carl", state="disabled", disabled_at=since)
    carl = account(6, "carl", enabled=False)
    gone = [holder("discord:5", holds=False)]
    assert kinds(situation(gone, [lk], [carl])) == []  # default: never delete
    assert kinds(situation(gone, [lk], [carl], delete_after=timedelta(days=30))) == []
    assert kinds(situation(gone, [lk], [carl], delete_after=timedelta(days=7))) == [
        ("delete", "discord:5")
    ]
    admin = account(6, "carl", role="admin", enabled=False)
    (refusal,) = plan(situation(gone, [lk], [admin], delete_after=timedelta(days=7))).actions
    assert refusal.kind == "refuse" and refusal.reason == "a RomM admin"


def test_an_account_re_enabled_in_romm_without_the_role_is_disabled_again() -> None:
    lk = link("discord:6", 6, "carl", state="disabled", disabled_at=NOW)
    (action,) = plan(
        situation([holder("discord:6", holds=False)], [lk], [account(6, "carl")])
    ).actions
    assert (action.kind, action.reason) == ("disable", "re-enabled in RomM")


def test_a_vanished_or_reused_account_is_forgotten_never_touched() -> None:
    lk = link("discord:7", 8, "dora")
    assert kinds(situation([holder("discord:7", holds=False)], [lk], [])) == [
        ("forget", "discord:7")
    ]
    reused = Account(8, "dora", "user", True, "2026-11-20T00:00:00+00:00")
    actions = plan(situation([holder("discord:7")], [lk], [reused])).actions
    assert [a.kind for a in actions] == ["forget", "invite"]  # a holder gets a new invite
    legacy = link("discord:7", 8, "dora", romm_created_at=None)
    other = account(8, "eve")
    (forget,) = plan(situation([holder("discord:7", holds=False)], [legacy], [other])).actions
    assert forget.kind == "forget" and "eve" in forget.reason


def test_first_sight_of_an_imported_link_records_what_romm_says() -> None:
    legacy = link("discord:8", 8, "Dora", romm_created_at=None)
    (adopt,) = plan(situation([holder("discord:8")], [legacy], [account(8, "dora")])).actions
    assert adopt.kind == "adopt"


def test_invites_expire_are_redelivered_and_are_cancelled_with_the_role() -> None:
    def invite(expires: datetime, delivered: bool = True) -> Invite:
        return Invite(11, "discord:9", "nina", NOW - timedelta(days=1), expires, delivered)

    later = NOW + timedelta(days=1)
    nina = [holder("discord:9")]
    assert kinds(situation(nina, invites=[invite(later)])) == []
    assert kinds(situation(nina, invites=[invite(later, delivered=False)])) == [
        ("redeliver", "discord:9")
    ]
    assert kinds(situation(nina, invites=[invite(NOW)])) == [
        ("expire_invite", "discord:9"),
        ("invite", "discord:9"),
    ]
    gone = [holder("discord:9", holds=False)]
    assert kinds(situation(gone, invites=[invite(later)])) == [("cancel_invite", "discord:9")]


def test_an_account_unlinked_by_losing_the_role_is_linked_again_with_the_role() -> None:
    old = link("discord:10", 9, "alice", state="unlinked", end_reason="role_lost")
    alice = account(9, "alice")
    assert kinds(situation([holder("discord:10")], [old], [alice])) == [("relink", "discord:10")]
    taken = link("discord:11", 9, "alice")
    both = [holder("discord:10"), holder("discord:11")]
    assert kinds(situation(both, [old, taken], [alice])) == [("invite", "discord:10")]


def test_without_a_member_list_only_members_looked_up_are_acted_on() -> None:
    lk = link("discord:12", 5, "bob")
    unknown = situation([], [lk], [account(5, "bob")], complete=False)
    assert plan(unknown).empty  # nobody could say whether they hold the role
    known = situation([holder("discord:12", holds=False)], [lk], [account(5, "bob")])
    assert kinds(replace_complete(known)) == [("disable", "discord:12")]


def replace_complete(s: Situation) -> Situation:
    from dataclasses import replace

    return replace(s, complete=False)


def test_a_scope_limits_the_plan_to_those_members() -> None:
    s = situation([holder("discord:13"), holder("discord:14")], scope=frozenset({"discord:14"}))
    assert kinds(s) == [("invite", "discord:14")]


def test_the_digest_changes_with_the_plan_and_only_with_it() -> None:
    a = plan(situation([holder("discord:1")]))
    b = plan(situation([holder("discord:1")]))
    c = plan(situation([holder("discord:1"), holder("discord:2")]))
    assert a.digest() == b.digest() != c.digest()
    assert Action("invite", "discord:1", "x").describe() == "invite x"


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("Bob", [], "bob"),
        ("Bob", ["BOB"], "bob_2"),
        ("Bob", ["bob", "bob_2"], "bob_3"),
        ("Zoë the Great!", [], "zoe_the_great"),
        ("🎮", [], "player"),
        ("Al", [], "al_player"),
        ("x" * 40, ["x" * 30], "x" * 28 + "_2"),
    ],
)
def test_usernames_follow_romm_rules_and_are_de_duplicated(
    name: str, taken: list[str], expected: str
) -> None:
    assert pick_username(name, taken) == expected
