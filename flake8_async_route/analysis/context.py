"""Calls the catalog names blocking that their arguments or the code around them show do
not block here: they return at once, read memory rather than disk, or find room."""
from __future__ import annotations

import ast
from typing import Optional

from .. import catalog
from ..catalog import lookup_table
from ..model import CallSite, ClassInfo, FunctionInfo, ModuleModel
from .syntax import blocks, inside_any, last_identifier, own_statements, shape


def ruled_out_by_context(site: CallSite, name: str) -> bool:
    """The call `name` (a blocking one in the catalog) does not block as written here."""
    return _told_not_to_block(site.node, name) or no_disk_involved(site, name) \
        or _reads_a_data_url(site, name) or _acquires_a_fresh_lock(site, name) \
        or _fetches_a_buffered_result(site, name) or _puts_on_unbounded_queue(site, name) \
        or _small_read_of_an_upload(site, name)


def no_disk_involved(site: CallSite, name: str, depth: int = 0) -> bool:
    """`zipfile.ZipFile(io.BytesIO(...))`, `open("/proc/self/stat")`, and `fh.read()` on
    the file such a call opened: memory, not disk."""
    call = site.node
    model, scope = site.scope.owner_model(), site.scope
    if name.startswith("FileObject.") and isinstance(call.func, ast.Attribute) and depth < 5:
        opener = _opening_call(model, call.func.value, scope)
        opener_name = model.call_name(opener, scope) if opener is not None else None
        return bool(opener_name) and no_disk_involved(
            CallSite(opener, scope, False), opener_name, depth + 1)
    if name.startswith("pathlib.Path.") and isinstance(call.func, ast.Attribute):
        call = call.func.value  # `Path("/proc/1/stat").read_text()`: look at the path
        name = "pathlib.Path"
    if name not in catalog.FILE_OPENERS or not isinstance(call, ast.Call):
        return False
    files = [k.value for k in call.keywords if k.arg in ("file", "fileobj")]
    target = call.args[0] if call.args else (files[0] if files else None)
    if target is None:
        return False
    if _is_in_memory(model, model.type_of(target, scope)):
        return True
    text = target.value if isinstance(target, ast.Constant) else None
    if isinstance(target, ast.JoinedStr) and target.values and \
            isinstance(target.values[0], ast.Constant):
        text = target.values[0].value
    return isinstance(text, str) and text.startswith(catalog.VIRTUAL_FILE_SYSTEMS)


def _reads_a_data_url(site: CallSite, name: str) -> bool:
    """`urlopen("data:...")`, `urlopen(url)` inside `if url.startswith("data:"):`, and the
    reads of what such a call returns: the URL holds the bytes, nothing is fetched."""
    call, model, scope = site.node, site.scope.owner_model(), site.scope
    if name.startswith(catalog.DATA_URL_RESPONSE + ".") and isinstance(call.func, ast.Attribute):
        call = _opening_call(model, call.func.value, scope)
        name = model.call_name(call, scope) if call is not None else ""
    if name not in catalog.DATA_URL_OPENERS or not call.args:
        return False
    url = call.args[0]
    text = url.value if isinstance(url, ast.Constant) else None
    if isinstance(url, ast.JoinedStr) and url.values and isinstance(url.values[0], ast.Constant):
        text = url.values[0].value
    if isinstance(text, str):
        return text.startswith(catalog.DATA_URL_PREFIX)
    return isinstance(url, ast.Name) and _inside_data_url_test(call, url.id, scope)


def _inside_data_url_test(call: ast.Call, variable: str, scope) -> bool:
    """The call is in the body of `if <variable>.startswith("data:..."):`, and nothing in
    that body rebinds the variable."""
    function = scope.function
    if function is None:
        return False
    for statement in own_statements(function.node):
        if isinstance(statement, ast.If) and _tests_data_url(statement.test, variable) and \
                inside_any(call, statement.body):
            rebound = [b.node for b in scope.bindings.get(variable, ())]
            return not any(inside_any(node, statement.body) for node in rebound)
    return False


def _tests_data_url(test: ast.expr, variable: str) -> bool:
    """`url.startswith("data:...")`, alone or as one of the conditions of an `and`."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_tests_data_url(value, variable) for value in test.values)
    return isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and \
        test.func.attr == "startswith" and isinstance(test.func.value, ast.Name) and \
        test.func.value.id == variable and len(test.args) == 1 and not test.keywords and \
        isinstance(test.args[0], ast.Constant) and isinstance(test.args[0].value, str) and \
        test.args[0].value.startswith(catalog.DATA_URL_PREFIX)


def _opening_call(model: ModuleModel, handle: ast.expr, scope) -> Optional[ast.Call]:
    """The call a file handle comes from: `open(...)` in `open(...).read()`, or the only
    value bound to `fh` (`fh = open(...)`, `with open(...) as fh`)."""
    if isinstance(handle, ast.Call):
        return handle
    if not isinstance(handle, ast.Name):
        return None
    _, bindings = model.lookup(handle.id, scope)
    if len(bindings) == 1 and isinstance(bindings[0].value, ast.Call):
        return bindings[0].value
    return None


def _is_in_memory(model: ModuleModel, found, depth: int = 0) -> bool:
    """An `io.BytesIO`, or a project class built on one, or on an abstract file object
    (`io.RawIOBase`) whose methods make no blocking call of their own."""
    if isinstance(found, str):
        return found in catalog.IN_MEMORY_FILES
    if isinstance(found, ClassInfo) and depth < 10:
        owner = found.scope.owner_model()
        bases = owner.class_bases(found)
        if any(canonical_base in catalog.IN_MEMORY_FILES for canonical_base in bases):
            return True
        if any(canonical_base in catalog.FILE_OBJECT_BASES for canonical_base in bases):
            return not any(_blocks(owner, site) for method in found.methods.values()
                           for site in method.scope.calls)
        return any(_is_in_memory(owner, owner.local_definition(base, found.scope.parent),
                                 depth + 1) for base in found.node.bases)
    return False


def _blocks(model: ModuleModel, site: CallSite) -> bool:
    name = model.call_name(site.node, site.scope)
    return bool(name) and lookup_table(catalog.BLOCKING, name) is not None


def _fetches_a_buffered_result(site: CallSite, name: str) -> bool:
    """`cur.fetchall()` after `cur.execute(...)` on a client-side cursor of a driver that
    buffers the whole result at `execute` (psycopg2, PyMySQL, MySQLdb): the execute is
    the blocking call, the fetch reads memory."""
    func = site.node.func
    if name not in catalog.BUFFERED_FETCHES or not isinstance(func, ast.Attribute) or \
            not isinstance(func.value, ast.Name):
        return False
    model, scope, cursor = site.scope.owner_model(), site.scope, func.value.id
    executed = any(
        isinstance(other.node.func, ast.Attribute)
        and isinstance(other.node.func.value, ast.Name) and other.node.func.value.id == cursor
        and other.node.func.attr in ("execute", "executemany", "callproc")
        and other.node.lineno <= site.node.lineno and other.node is not site.node
        for other in scope.calls)
    made = _opening_call(model, func.value, scope)
    if not executed or made is None or not isinstance(made.func, ast.Attribute) or \
            made.func.attr != "cursor" or made.args or made.keywords:
        return False  # `conn.cursor("name")`, `cursor(name=...)`: a server-side cursor
    connection = _opening_call(model, made.func.value, scope)
    driver = model.call_name(connection, scope) if connection is not None else None
    return driver in catalog.BUFFERING_DRIVERS


def _acquires_a_fresh_lock(site: CallSite, name: str) -> bool:
    """`lock = threading.Lock()` and, on the next line of the same block, `lock.acquire()`:
    nothing else can hold a lock nobody else has seen yet."""
    func = site.node.func
    if name != "threading.Lock.acquire" or not isinstance(func, ast.Attribute) or \
            not isinstance(func.value, ast.Name):
        return False
    model, scope = site.scope.owner_model(), site.scope
    bindings = scope.bindings.get(func.value.id, ())
    if len(bindings) != 1 or not isinstance(bindings[0].value, ast.Call):
        return False
    made, target = bindings[0].value, bindings[0].node
    return (model.call_name(made, scope) in catalog.LOCK_CONSTRUCTORS
            and site.node.lineno == made.end_lineno + 1
            and site.node.col_offset == target.col_offset)


def _told_not_to_block(call: ast.Call, name: str) -> bool:
    """`lock.acquire(blocking=False)`, `queue.get(False)`, `os.waitpid(pid, os.WNOHANG)`:
    returns at once."""
    if name in catalog.NON_BLOCKING_OPTION:
        keyword, position, flag = catalog.NON_BLOCKING_OPTION[name]
        return any(_sets_flag(v, flag) for v in _argument_values(call, keyword, position))
    if name not in catalog.NON_BLOCKING_FLAG:
        return False
    keyword, position = catalog.NON_BLOCKING_FLAG[name]
    return any(isinstance(v, ast.Constant) and v.value is False
               for v in _argument_values(call, keyword, position))


def _argument_values(call: ast.Call, keyword: str, position: int) -> list:
    values = [k.value for k in call.keywords if k.arg == keyword]
    if len(call.args) > position:
        values.append(call.args[position])
    return values


def _sets_flag(expr: ast.expr, flag: str) -> bool:
    """`os.WNOHANG`, `WNOHANG | os.WUNTRACED`: the flag is surely among the bits."""
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        return _sets_flag(expr.left, flag) or _sets_flag(expr.right, flag)
    return last_identifier(expr) == flag


def _puts_on_unbounded_queue(site: CallSite, name: str) -> bool:
    """`q = queue.Queue()` and later `q.put(x)`: a queue with no `maxsize` always has room.
    Every assignment of the queue the analysis sees must make an unbounded one."""
    func = site.node.func
    if name not in catalog.UNBOUNDED_PUTS or not isinstance(func, ast.Attribute):
        return False
    model = site.scope.owner_model()
    values = model.assigned_values(func.value, site.scope)
    return bool(values) and all(_makes_unbounded_queue(model, value, owner)
                                for value, owner in values)


def _makes_unbounded_queue(model: ModuleModel, value: ast.expr, scope) -> bool:
    if not isinstance(value, ast.Call) or any(isinstance(a, ast.Starred) for a in value.args) \
            or any(k.arg is None for k in value.keywords):
        return False
    position = catalog.BOUNDABLE_QUEUES.get(model.resolve(value.func, scope) or "")
    if position is None:
        return False
    return all(_int_constant(size) is not None and _int_constant(size) <= 0
               for size in _argument_values(value, "maxsize", position))


_INT_OPERATORS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
                  ast.Mult: lambda a, b: a * b}


def _int_constant(expr: ast.expr, depth: int = 0) -> Optional[int]:
    """The value of `8`, `-1` or `64 * 1024` written in the code."""
    if isinstance(expr, ast.Constant):
        value = expr.value
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
        value = _int_constant(expr.operand, depth + 1)
        return -value if value is not None else None
    if isinstance(expr, ast.BinOp) and type(expr.op) in _INT_OPERATORS and depth < 8:
        left, right = _int_constant(expr.left, depth + 1), _int_constant(expr.right, depth + 1)
        if left is not None and right is not None:
            return _INT_OPERATORS[type(expr.op)](left, right)
    return None


def _small_read_of_an_upload(site: CallSite, name: str) -> bool:
    """`upload.file.read(4)`, `upload.file.read(len(PDF_MAGIC))`: a few bytes of the spooled
    upload, from memory or the page cache; reading all of it is still reported."""
    func = site.node.func
    if name not in catalog.SIZED_READS or not isinstance(func, ast.Attribute) \
            or not isinstance(func.value, ast.Attribute):
        return False
    model, scope = site.scope.owner_model(), site.scope
    upload = model.type_of(func.value.value, scope)
    if not isinstance(upload, str) or catalog.SPOOLED_UPLOADS.get(upload) != func.value.attr:
        return False
    sizes = _argument_values(site.node, "size", 0)
    size = _read_size(model, sizes[0], scope) if len(sizes) == 1 else None
    return size is not None and 0 < size <= catalog.SMALL_READ_BYTES


def _read_size(model: ModuleModel, expr: ast.expr, scope) -> Optional[int]:
    """`16`, or `len(MAGIC)` of a module-level bytes or str constant (of this module or
    imported from the project)."""
    if not (isinstance(expr, ast.Call) and model.resolve(expr.func, scope) == "builtins.len"
            and len(expr.args) == 1 and not expr.keywords):
        return _int_constant(expr)
    argument = expr.args[0]
    foreign = model.names.project_binding(argument, scope)
    if foreign is not None:
        owner, binding = foreign
        values = [(binding.value, owner.module_scope)] if binding.kind == "assign" else []
    else:
        values = model.assigned_values(argument, scope)
    if len(values) != 1 or not isinstance(values[0][0], ast.Constant) \
            or not isinstance(values[0][0].value, (bytes, str)):
        return None
    return len(values[0][0].value)


def returns_at_once_after_deletion(function: FunctionInfo, site: CallSite,
                                   target: FunctionInfo) -> bool:
    """`os.remove(path)` and, as the next statement, `cleanup(path)` where `cleanup`
    starts with `if not os.path.exists(path): return`: the helper returns at its check."""
    parameter = _exists_guard_parameter(target)
    if parameter is None:
        return False
    params = [a.arg for a in target.node.args.posonlyargs + target.node.args.args]
    if params and params[0] in ("self", "cls") and target.cls is not None:
        params = params[1:]
    passed = dict(zip(params, site.node.args))
    passed.update((k.arg, k.value) for k in site.node.keywords if k.arg)
    if parameter not in passed:
        return False
    previous = _previous_statement(function, site.node)
    if not (isinstance(previous, ast.Expr) and isinstance(previous.value, ast.Call)):
        return False
    deletion = previous.value
    model = function.model
    name = model.call_name(deletion, function.scope) or ""
    if name not in catalog.FILE_DELETERS:
        return False
    deleted = deletion.func.value if name.startswith("pathlib.") else \
        (deletion.args[0] if deletion.args else None)
    return deleted is not None and shape(deleted) is not None and \
        shape(deleted) == shape(passed[parameter])


def _exists_guard_parameter(function: FunctionInfo) -> Optional[str]:
    """`p` when the function's first statement is `if not os.path.exists(p): return`
    (or `p.exists()`), else None."""
    body = function.node.body if isinstance(function.node.body, list) else []
    first = body[0] if body else None
    if not (isinstance(first, ast.If) and not first.orelse and len(first.body) == 1
            and isinstance(first.body[0], ast.Return)):
        return None
    test = first.test
    if not (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
            and isinstance(test.operand, ast.Call)):
        return None
    check = test.operand
    name = function.model.call_name(check, function.scope) or ""
    if name not in catalog.EXISTENCE_CHECKS and not (
            isinstance(check.func, ast.Attribute) and check.func.attr == "exists"):
        return None
    checked = check.args[0] if check.args else (
        check.func.value if isinstance(check.func, ast.Attribute) else None)
    return checked.id if isinstance(checked, ast.Name) else None


def _previous_statement(function: FunctionInfo, call: ast.Call) -> Optional[ast.stmt]:
    for node in own_statements(function.node):
        for block in blocks(node):
            for index, statement in enumerate(block[1:], start=1):
                if any(inner is call for inner in ast.walk(statement)):
                    return block[index - 1]
    return None
