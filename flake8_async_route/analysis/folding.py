"""One finding per root cause per coroutine: calls on one handle (`fh.write()` 45 times;
`cur.execute()` then `cur.fetchall()`; `open()` then `fh.read()`), calls of helpers whose
chains end at the same blocking call or at the same kind of work (one sync database layer,
however many of its queries a route runs), and file-system work, fold into the first of
them in source order, or the first that is more than a single metadata syscall."""
from __future__ import annotations

import ast

from .. import catalog
from .results import BlockingCall, FoldedCall, source_text
from .search import BlockingSearch
from .suppressions import Suppressions

# How many folded lines a message lists before it says "…".
LINES_SHOWN = 6


class RootCauses:
    def __init__(self, search: BlockingSearch, suppressions: Suppressions):
        self.search = search
        self.suppressions = suppressions
        self._blocking_nodes: dict = {}  # scope → its calls that block (see _handle)

    def fold(self, blocking_calls: list[BlockingCall]) -> list[FoldedCall]:
        """Calls that share a cause join, and so do causes that share a call: the calls
        on `auth.db` and the helpers that reach the same database work are one group."""
        calls = sorted(blocking_calls, key=_position)
        leader = list(range(len(calls)))  # union-find over the calls' indexes

        def find(index: int) -> int:
            while leader[index] != index:
                leader[index] = leader[leader[index]]
                index = leader[index]
            return index

        first_with: dict = {}
        causes = [self._root_causes(found) for found in calls]
        for index, keys in enumerate(causes):
            for key in keys:
                mine, theirs = find(index), find(first_with.setdefault(key, index))
                leader[max(mine, theirs)] = min(mine, theirs)
        groups: dict[int, list[int]] = {}
        for index in range(len(calls)):
            groups.setdefault(find(index), []).append(index)
        folded = []
        for members in groups.values():
            handle = causes[members[0]][0]  # what the first call shares on its own
            lead = next((index for index in members if not self._metadata_only(calls[index])),
                        members[0])
            first, repeats = calls[lead], [calls[index] for index in members if index != lead]
            if all(causes[index][0] == handle for index in members):
                folded.append(FoldedCall(first, tuple(repeats),
                                         _shared_by(handle, [first, *repeats])))
            else:
                folded.append(FoldedCall(first, tuple(repeats), _lines_of(first, repeats),
                                         catalog.WORK_DONE.get(first.work, "blocking")))
        return folded

    @staticmethod
    def _metadata_only(found: BlockingCall) -> bool:
        """A direct single metadata syscall (`os.remove()`, `os.path.exists()`): folded
        with other work, the finding goes where that work is."""
        if found.helper is not None or not isinstance(found.node, ast.Call):
            return False
        scope = found.function.scope
        return scope.owner_model().call_name(found.node, scope) in catalog.METADATA_SYSCALLS

    def _root_causes(self, found: BlockingCall) -> list[tuple]:
        """The keys of what a call has in common with others in its coroutine."""
        causes = [self._root_cause(found), *self._passed_handles(found)]
        # A call the user accepted with `# noqa` does not speak for other work.
        if self.suppressions.covers(found.code, found.node):
            return causes
        if found.helper is not None:  # one sync layer: the same work in the same module
            causes.append((found.function, "work", found.code, found.work,
                           found.chain[-1].path))
        if found.work in catalog.FOLDED_PER_COROUTINE:  # moved off the loop as one block
            causes.append((found.function, "work", found.work))
        return causes

    def _root_cause(self, found: BlockingCall):
        function, node = found.function, found.node
        receiver = node.func.value if isinstance(node, ast.Call) and \
            isinstance(node.func, ast.Attribute) else None
        # Calls on one handle are one cause: a file, a cursor, or a sync layer such as
        # `auth.db` whose helpers reach different queries. `self.x()` calls name the
        # coroutine's own object, not a layer: they fold by the chain's end.
        if receiver is not None and not (found.helper is not None and
                                         isinstance(receiver, ast.Name)
                                         and receiver.id in ("self", "cls")):
            handle = self._handle(receiver, function.scope, 0)
            if handle is not None:
                return (function, *handle)
        if found.helper is not None:  # one chain's end, however many helpers lead to it
            end = found.chain[-1]
            return function, "chain", end.path, end.line
        return function, "call", node

    def _passed_handles(self, found: BlockingCall) -> list[tuple]:
        """The handles a helper is handed (`serialize(row, session)` after
        `session.query(...).first()`): its blocking work goes through the same handle as
        the calls on it, and the same fix answers both."""
        node = found.node
        if found.helper is None or not isinstance(node, ast.Call):
            return []
        scope = found.function.scope
        handles = []
        for argument in (*node.args, *(k.value for k in node.keywords)):
            if not isinstance(argument, ast.Name):
                continue
            handle = self._handle(argument, scope, 0)
            if handle is None:
                continue
            # the handle itself, not a value read from it (`name = conn.fetch()[0]`)
            _, bindings = scope.owner_model().lookup(argument.id, scope)
            if handle[-1] == argument.id or \
                    handle[0] == "call" and any(b.value is handle[1] for b in bindings):
                handles.append((found.function, *handle))
        return handles

    def _handle(self, expr: ast.expr, scope, depth: int):
        """What a receiver comes down to: the blocking call that made it (`open()` for
        `fh`, `psycopg2.connect()` for `conn.cursor()`), else the variable or attribute that
        holds it; None for a module or class (`requests.get()` calls no handle)."""
        if depth > 20:
            return None
        model = scope.owner_model()
        if isinstance(expr, ast.Call):
            if self._is_blocking_here(expr, scope):
                func = expr.func
                made_from = self._handle(func.value, scope, depth + 1) \
                    if isinstance(func, ast.Attribute) else None
                return made_from or ("call", expr)
            func = expr.func
            return self._handle(func.value, scope, depth + 1) \
                if isinstance(func, ast.Attribute) else None
        if isinstance(expr, ast.Name):
            owner, bindings = model.lookup(expr.id, scope)
            if owner is None or any(b.kind in ("import", "def", "class") for b in bindings):
                return None
            # The binding in force: the last one written before this use (`fh` of the second
            # `with open(...) as fh:` is the second file).
            before = [b for b in bindings if _start(b.node) <= _start(expr)] or bindings
            value = max(before, key=lambda b: _start(b.node)).value
            if isinstance(value, ast.Call):
                made = self._handle(value, owner, depth + 1)
                if made is not None:
                    return made
            return "name", owner, expr.id
        if isinstance(expr, ast.Attribute) and not model.resolve(expr, scope):
            # `self.docker.containers`, `self.docker.volumes`: one sync client's managers
            while isinstance(expr.value, ast.Attribute) and \
                    isinstance(model.type_of(expr.value, scope), str):
                expr = expr.value
            return "attribute", source_text(expr)  # `self.client`, not `vendor.storage`
        return None

    def _is_blocking_here(self, call: ast.Call, scope) -> bool:
        if scope not in self._blocking_nodes:
            self._blocking_nodes[scope] = {site.node for site in scope.calls
                                           if self.search.blocking_of(site) is not None}
        return call in self._blocking_nodes[scope]


def _position(found: BlockingCall) -> tuple:
    return _start(found.node)


def _start(node: ast.AST) -> tuple:
    return node.lineno, node.col_offset


def _lines_of(first: BlockingCall, repeats: list) -> str:
    """The lines of the later calls, as a message lists them: ": lines 12, 14"."""
    lines = sorted({found.node.lineno for found in repeats} - {first.node.lineno})
    if not lines:
        return ""
    shown = ", ".join(map(str, lines[:LINES_SHOWN])) + (", …" if len(lines) > LINES_SHOWN else "")
    return f": line{'s' if len(lines) > 1 else ''} {shown}"


def _shared_by(key: tuple, calls: list) -> str:
    """How a finding names what its folded calls share: the helper, the blocking call
    their chains end at, or the handle's variable as the later calls write it."""
    if key[1] == "chain":
        helpers = {found.helper for found in calls}
        return f" of `{calls[0].helper.name}()`" if len(helpers) == 1 else \
            f" reaching {calls[0].chain[-1].shown}"
    receivers = []
    for found in calls[1:]:
        func = getattr(found.node, "func", None)
        if isinstance(func, ast.Attribute):
            shown = f"`{source_text(func.value, 30)}`"
            if shown not in receivers:
                receivers.append(shown)
    return " on " + (", ".join(receivers[:3]) if receivers else "the same handle")
