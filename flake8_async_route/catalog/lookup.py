"""Looking a qualified name up in a table of names (the catalog's, a Config's), wildcards
included."""
from __future__ import annotations


def lookup_table(table, name: str):
    """Exact match first, then the longest `prefix.*`, then `*.last_part`."""
    memo = _LOOKUP_MEMO.get(id(table))
    if memo is None or memo[0] is not table:
        memo = _LOOKUP_MEMO[id(table)] = (table, {})
    if name not in memo[1]:
        memo[1][name] = _lookup(table, name)
    return memo[1][name]


# id(table) → (table, {name: answer}): the tables (the catalog's, a Config's) never change,
# and the same names are looked up in them for every call of every module. Holding the
# table keeps its id from being reused by another.
_LOOKUP_MEMO: dict[int, tuple] = {}


def _lookup(table, name: str):
    if name in table:
        return table[name] if isinstance(table, dict) else name
    parts = name.split(".")
    for end in range(len(parts) - 1, 0, -1):
        key = ".".join(parts[:end]) + ".*"
        if key in table:
            return table[key] if isinstance(table, dict) else key
    key = "*." + parts[-1]
    if key in table:
        return table[key] if isinstance(table, dict) else key
    return None
