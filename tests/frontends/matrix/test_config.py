"""Matrix settings and their reading, without a homeserver."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from romm_comm.app.settings import Settings
from romm_comm.cli.front_ends import configured
from romm_comm.core.cards import Button, Choice, Picker
from romm_comm.core.text_input import Pending
from romm_comm.core.text_input import pending_from_json as from_json
from romm_comm.core.text_input import pending_to_json as to_json
from romm_comm.frontends.matrix.bot import without_reply_fallback
from romm_comm.frontends.matrix.config import MatrixConfig


def test_matrix_starts_beside_discord_when_a_homeserver_and_a_token_are_set() -> None:
    both = Settings(
        _env_file=None,  # type: ignore[call-arg]
        discord_token=SecretStr("t"),
        matrix_homeserver="https://matrix.example.org/",
        matrix_password=SecretStr("pw"),
        matrix_rooms="#games:example.org, !abc:example.org",  # type: ignore[arg-type]
    )
    assert [f.name for f in configured(both)] == ["discord", "matrix"]
    assert not both.is_demo
    config = MatrixConfig.from_values(both)
    assert config.matrix_homeserver == "https://matrix.example.org"
    assert config.matrix_rooms == ["#games:example.org", "!abc:example.org"]
    assert config.matrix_command_prefix == "!"
    alone = Settings(_env_file=None, matrix_homeserver="https://m.example.org")  # type: ignore[call-arg]
    assert configured(alone) == []  # no token nor password: not started
    assert "pw" not in repr(both) and "pw" not in str(MatrixConfig.from_values(both))


def test_a_pending_list_survives_the_store_round_trip(tmp_path: Path) -> None:
    pending = Pending(
        Picker("files:2", "Files", (Choice("Disc 1", "11", "300 MB"),), max_values=3),
        (Button("Request it", "req:1"),),
    )
    assert from_json(to_json(pending)) == pending
    assert from_json(None) == Pending()


def test_the_quoted_fallback_of_a_reply_is_not_read_as_the_answer() -> None:
    assert without_reply_fallback("> <@bot:x> Pick one\n> 1) A\n\n2") == "2"
    assert without_reply_fallback("2") == "2"
