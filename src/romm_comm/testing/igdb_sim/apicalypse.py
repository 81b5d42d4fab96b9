"""A subset of IGDB's apicalypse query language, enough for what the bot sends.

Statements: `fields a,b.c,*;` `search "text";` `where <cond> & <cond>;` `sort f asc|desc;`
`limit n;` `offset n;`. Conditions: `field op value` with op in = != > >= < <=, values an
integer, a "string", `null`, `(a,b)` (any of), `[a,b]` (all of) or `{a,b}` (exactly these).
Anything else is a syntax error, answered with IGDB's 400 shape.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

MAX_LIMIT = 500


class QueryError(ValueError):
    pass


@dataclass
class Query:
    fields: list[str] = field(default_factory=lambda: ["id"])
    search: str | None = None
    where: list[tuple[str, str, Any]] = field(default_factory=list)
    sort: tuple[str, bool] | None = None  # (field, descending)
    limit: int = 10
    offset: int = 0


def _statements(body: str) -> list[str]:
    parts, quoted = _cut_outside_quotes(body, ";")
    if quoted:
        raise QueryError("unterminated string")
    if parts[-1].strip():
        raise QueryError("missing ';' at the end of a statement")
    return [s.strip() for s in parts[:-1] if s.strip()]


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    return _cut_outside_quotes(text, sep)[0]


def _cut_outside_quotes(text: str, sep: str) -> tuple[list[str], bool]:
    """`text` cut at each `sep` that is not inside a "string"; and whether one is left open."""
    parts: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for ch in text:
        if quoted:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch == sep:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts, quoted


def _string(text: str) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise QueryError(f"expected a string, got {text[:30]!r}")
    inner, out, escaped = text[1:-1], [], False
    for ch in inner:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            raise QueryError("unescaped quote in a string")
        else:
            out.append(ch)
    return "".join(out)


def _value(text: str) -> Any:
    text = text.strip()
    if text == "null":
        return None
    if text.startswith('"'):
        return _string(text)
    for opener, closer, kind in (("(", ")", "any"), ("[", "]", "all"), ("{", "}", "exact")):
        if text.startswith(opener):
            if not text.endswith(closer):
                raise QueryError(f"unbalanced {opener}")
            return (kind, [_value(p) for p in text[1:-1].split(",") if p.strip()])
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return float(text) if "." in text else int(text)
    if text in ("true", "false"):
        return text == "true"
    raise QueryError(f"bad value {text[:30]!r}")


_COND = re.compile(r"^\s*([a-z_][a-z_.]*)\s*(!=|>=|<=|=|>|<)\s*(.+?)\s*$")


def parse(body: str) -> Query:
    q = Query()
    for statement in _statements(body):
        keyword, _, rest = statement.partition(" ")
        keyword, rest = keyword.lower(), rest.strip()
        if keyword in ("fields", "f"):
            q.fields = [f.strip() for f in rest.split(",") if f.strip()]
        elif keyword == "search":
            q.search = _string(rest)
        elif keyword in ("where", "w"):
            for part in _split_outside_quotes(rest, "&"):
                match = _COND.match(part)
                if match is None:
                    raise QueryError(f"bad condition {part.strip()[:40]!r}")
                q.where.append((match[1], match[2], _value(match[3])))
        elif keyword in ("sort", "s"):
            name, _, direction = rest.partition(" ")
            q.sort = (name, direction.strip().lower() == "desc")
        elif keyword in ("limit", "l"):
            q.limit = int(rest)
            if not 1 <= q.limit <= MAX_LIMIT:
                raise QueryError("limit must be between 1 and 500")
        elif keyword in ("offset", "o"):
            q.offset = int(rest)
        else:
            raise QueryError(f"unknown statement {keyword!r}")
    return q


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch if ch.isalnum() else " " for ch in kept)


def _compare(actual: Any, op: str, wanted: Any) -> bool:
    if isinstance(wanted, tuple):
        kind, values = wanted
        have = set(actual) if isinstance(actual, list) else {actual}
        if kind == "any":
            hit = bool(have & set(values))
        elif kind == "all":
            hit = set(values) <= have
        else:
            hit = have == set(values)
        return hit if op == "=" else not hit if op == "!=" else False
    if isinstance(actual, list):
        hit = wanted in actual
        return hit if op == "=" else not hit
    if op == "=":
        return bool(actual == wanted)
    if op == "!=":
        return bool(actual != wanted)
    if actual is None or wanted is None:
        return False
    return bool(
        {
            ">": actual > wanted,
            ">=": actual >= wanted,
            "<": actual < wanted,
            "<=": actual <= wanted,
        }[op]
    )


def matches(row: dict[str, Any], q: Query) -> bool:
    return all(_compare(row.get(name), op, value) for name, op, value in q.where)


def search_score(row: dict[str, Any], term: str) -> float:
    """0 when some word of the term is missing; higher for closer names."""
    words = fold(term).split()
    if not words:
        return 0.0
    best = 0.0
    for name in [row.get("name", ""), *row.get("_alt", [])]:
        name_words = fold(name).split()
        if all(any(w.startswith(t) for w in name_words) for t in words):
            exact = fold(name).split() == words
            best = max(best, 2.0 if exact else 1.0 + len(words) / (len(name_words) + 1))
    return best
