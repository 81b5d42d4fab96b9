"""An example value for each option of a command, for tests that walk the whole registry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from romm_comm.core.commands import OptionSpec, Registry

EXAMPLES = {"platform": "Nintendo 64", "game": "mario"}


def example(opt: OptionSpec) -> Any:
    if opt.choices:
        return opt.choices[0]
    if opt.type == "integer":
        return opt.min_value if opt.min_value is not None else 1
    if opt.type == "boolean":
        return True
    return EXAMPLES.get(opt.name, "x")


def every_call(registry: Registry) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each command twice: with its required options only, and with all of them."""
    assert len(registry.commands) >= 7
    for name, spec in registry.commands.items():
        yield name, {o.name: example(o) for o in spec.options if o.required}
        yield name, {o.name: example(o) for o in spec.options}
