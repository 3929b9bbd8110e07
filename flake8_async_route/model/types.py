"""What the values of expressions are: a catalog type (a client, a session, a path), a
class of the project, `builtins.<container>` for plain data, or unknown. Followed through
assignments, returns and yields, attributes, `self.x` set in methods, unpacking and
FastAPI dependencies."""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional

from .. import catalog
from ..catalog import lookup_table
from .annotations import annotation_type
from .names import attribute_bindings
from .symbols import MAX_RESOLVE_DEPTH, Binding, ClassInfo, FunctionInfo, Scope, TypeRef

if TYPE_CHECKING:
    from .module import ModuleModel


class TypeInference:
    """Type inference for one module, memoised."""

    def __init__(self, model: ModuleModel):
        self.model = model
        self.names = model.names
        self._memo: dict[ast.AST, TypeRef] = {}
        # class → the expressions memoised as its instances: a model is forgotten in the
        # middle of an analysis (see Project.answer), each time with the others' memos
        # rid of its classes, and scanning the whole memo of each was most of that.
        self._typed_as: dict[ClassInfo, list[ast.AST]] = {}

    def forget(self, classes: set) -> None:
        """Drop the memoised answers that are forgotten classes."""
        for cls in [cls for cls in self._typed_as if cls in classes]:
            for expr in self._typed_as.pop(cls):
                del self._memo[expr]

    def type_of(self, expr: ast.expr, scope: Scope, depth: int = 0) -> TypeRef:
        """The known type of the value of an expression: a catalog type, a class of this
        module, `builtins.<container>` for plain data, or None when unknown."""
        if expr in self._memo:
            return self._memo[expr]
        self._memo[expr] = None  # breaks cycles such as `x = x.next`
        result = self._type_of(expr, scope, depth) if depth < MAX_RESOLVE_DEPTH else None
        self._memo[expr] = result
        if isinstance(result, ClassInfo):
            self._typed_as.setdefault(result, []).append(expr)
        return result

    def _type_of(self, expr: ast.expr, scope: Scope, depth: int) -> TypeRef:
        if isinstance(expr, ast.Name):
            return self._type_of_name(expr.id, scope, depth)
        if isinstance(expr, ast.Attribute):
            return self._type_of_attribute(expr, scope, depth)
        if isinstance(expr, ast.Call):
            return self._type_of_call(expr, scope, depth)
        if isinstance(expr, ast.Subscript):
            index = expr.slice
            if isinstance(index, ast.Constant) and type(index.value) is int:
                element = self._type_of_element(expr.value, index.value, scope, depth + 1)
                if element is not None:
                    return element
            receiver = self.type_of(expr.value, scope, depth + 1)
            if isinstance(receiver, str):
                return lookup_table(catalog.ATTRIBUTES, receiver + ".*")
            return _keyword_passed(self.model, expr, scope, depth)
        if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.Or):
            # `client or boto3.client("ses")`: whichever side is known
            return self._agreeing(expr.values, scope, depth)
        if isinstance(expr, ast.IfExp):
            return self._agreeing([expr.body, expr.orelse], scope, depth)
        if isinstance(expr, ast.Await) and isinstance(expr.value, ast.Call):
            local = self.names.local_definition(expr.value.func, scope)
            if isinstance(local, FunctionInfo) and local.is_async and not local.is_generator:
                return local.model.types.produced_type(local, depth + 1)
            return None
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
            left = self.type_of(expr.left, scope, depth + 1)
            return left if left == "pathlib.Path" else None
        return _literal_type(expr)

    def _agreeing(self, values: list, scope: Scope, depth: int) -> TypeRef:
        """The one known type among the values (the others unknown or None), else None:
        two different known types say nothing about which one it is."""
        known = []
        for value in values:
            found = self.type_of(value, scope, depth + 1)
            if found is not None and found not in known:
                known.append(found)
        return known[0] if len(known) == 1 else None

    def _type_of_element(self, expr: ast.expr, index: int, scope: Scope,
                         depth: int) -> TypeRef:
        """The type of `expr[index]` when `expr` is a tuple the code shows being built:
        `client, db = make_clients()` with `return boto3.client("s3"), sqlite3.connect(p)`."""
        if depth >= MAX_RESOLVE_DEPTH:
            return None
        if isinstance(expr, (ast.Tuple, ast.List)):
            elements = expr.elts[: index + 1]
            if len(elements) <= index or any(isinstance(e, ast.Starred) for e in elements):
                return None
            return self.type_of(elements[index], scope, depth + 1)
        if isinstance(expr, ast.Name):
            owner, bindings = self.names.lookup(expr.id, scope)
            for binding in bindings:
                if binding.kind == "assign" and binding.value is not None:
                    found = self._type_of_element(binding.value, index, owner, depth + 1)
                    if found is not None:
                        return found
            return None
        call = expr.value if isinstance(expr, ast.Await) else expr
        if not isinstance(call, ast.Call):
            return None
        local = self.names.local_definition(call.func, scope)
        if not isinstance(local, FunctionInfo) or local.is_generator or \
                local.is_async != isinstance(expr, ast.Await):
            return None
        known = []
        for returned in local.scope.returns:
            if returned.value is not None:
                found = local.model.types._type_of_element(returned.value, index,
                                                           local.scope, depth + 1)
                if found is not None and found not in known:
                    known.append(found)
        return known[0] if len(known) == 1 else None

    def _type_of_name(self, name: str, scope: Scope, depth: int) -> TypeRef:
        owner, bindings = self.names.lookup(name, scope)
        if owner is self.model.module_scope:
            # Functions add their `global` bindings when they are walked: source order
            # keeps the answer the same whichever was walked first.
            bindings = sorted(bindings, key=_position)
        for binding in bindings:
            found = self._type_of_binding(binding, owner, depth)
            if found is not None:
                return found
        return None

    def _type_of_binding(self, binding: Binding, owner: Scope, depth: int) -> TypeRef:
        found: TypeRef = None
        if binding.annotation is not None:
            found = annotation_type(self.model, binding.annotation, owner, depth + 1)
        if found is None and binding.kind in ("assign", "with") and binding.value is not None:
            found = self.type_of(binding.value, owner, depth + 1)
        if found is None and binding.kind == "param" and binding.value is not None:
            found = self._dependency_type(binding.value, owner, depth)
        if found is None and binding.kind == "loop":
            elements = self.names.literal_elements(binding.value, owner)
            known = {self.type_of(element, element_scope, depth + 1)
                     for element, element_scope in elements}
            found = known.pop() if len(known) == 1 else None  # `for c in (s3, s3_backup)`
        if found is None and binding.kind == "param" and binding.annotation is None:
            found = self.model.usage.argument_type(binding.node, owner, depth)
        if found is None and binding.kind == "def" and \
                _is_property(self.model, binding.node, owner):
            found = self.produced_type(self.model.function_by_node[binding.node], depth + 1)
        if found is None and binding.kind == "import" and self.model.project is not None:
            foreign = self.model.project.lookup(binding.qualname, self.model)
            if foreign is not None and foreign[1].kind == "assign":
                found = foreign[0].types._type_of_global(foreign[1], depth + 1)
        return found

    def _type_of_global(self, binding: Binding, depth: int) -> TypeRef:
        """A module-level name of this module, with what functions assign to it too."""
        if isinstance(binding.node, ast.Name):
            return self._type_of_name(binding.node.id, self.model.module_scope, depth)
        return self._type_of_binding(binding, self.model.module_scope, depth)

    def _dependency_type(self, default: ast.expr, scope: Scope, depth: int) -> TypeRef:
        """`session = Depends(generate_session)`: typed by what the dependency yields."""
        if not (isinstance(default, ast.Call)
                and self.names.resolve(default.func, scope) in catalog.DEPENDS
                and default.args):
            return None
        target = self.names.local_definition(default.args[0], scope)
        if isinstance(target, FunctionInfo):
            return target.model.types.produced_type(target, depth + 1)
        return None

    def produced_type(self, function: FunctionInfo, depth: int = 0) -> TypeRef:
        """What calling a function gives: its return value, or for a generator (a yielding
        dependency or a @contextmanager) what it yields."""
        values = function.scope.yields if function.is_generator else [
            n.value for n in function.scope.returns if n.value is not None]
        for value in values:
            found = self.type_of(value, function.scope, depth + 1)
            if found is not None:
                return found
        if function.cls is not None and self.model.hierarchy.is_abstract(function):
            # `self.get_session()` declared by a base class: what its implementations give
            return _implementations_type(function, depth)
        return None

    def _type_of_attribute(self, expr: ast.Attribute, scope: Scope, depth: int) -> TypeRef:
        # `tables.Chats` for a module `tables`
        foreign = self.names.project_binding(expr, scope)
        if foreign is not None and foreign[1].kind == "assign":
            return foreign[0].types._type_of_global(foreign[1], depth + 1)
        receiver_node = expr.value
        cls = self.names.self_class(receiver_node, scope)
        if cls is None:
            receiver = self.type_of(receiver_node, scope, depth + 1)
            if receiver == catalog.APP_STATE:
                return self.model.usage.app_state_type(expr.attr, depth + 1)
            if isinstance(receiver, str):
                return lookup_table(catalog.ATTRIBUTES, f"{receiver}.{expr.attr}")
            cls = receiver if isinstance(receiver, ClassInfo) else None
        if cls is not None:
            return cls.scope.owner_model().types._class_attribute_type(cls, expr.attr, depth)
        return None

    def _class_attribute_type(self, cls: ClassInfo, attr: str, depth: int,
                              bases_followed: int = 0) -> TypeRef:
        """`self.<attr>` of this module's class: what its methods assign, a class-level
        binding or property, else the same in its project base classes."""
        candidates = attribute_bindings(cls, attr)
        for binding, owner in candidates:
            found = self._type_of_binding(binding, owner, depth)
            if found is not None:
                return found
        if candidates or bases_followed >= 10:
            return None
        for base in cls.node.bases:
            base_cls = self.names.local_definition(base, cls.scope.parent)
            if isinstance(base_cls, ClassInfo) and base_cls is not cls:
                found = base_cls.scope.owner_model().types._class_attribute_type(
                    base_cls, attr, depth + 1, bases_followed + 1)
                if found is not None:
                    return found
        return None

    def _type_of_call(self, call: ast.Call, scope: Scope, depth: int) -> TypeRef:
        passed = _keyword_passed(self.model, call, scope, depth)
        if passed is not None:
            return passed
        func = call.func
        name = self.names.resolve(call.func, scope, depth + 1)
        if self.names.getattr_attribute(call, scope, depth) is not None:
            # `getattr(request.app.state, "engine", None)`: the attribute, or the default
            return self._agreeing([self.names.getattr_attribute(call, scope, depth),
                                   *call.args[2:]], scope, depth)
        if name in ("typing.cast", "typing_extensions.cast") and len(call.args) == 2:
            # the value's own type, else the type it is cast to
            return (self.type_of(call.args[1], scope, depth + 1)
                    or annotation_type(self.model, call.args[0], scope, depth + 1))
        if name:
            if name in catalog.CONSTRUCTORS:
                if _makes_async_sessions(self.model, call, scope, name):
                    return None
                return catalog.CONSTRUCTORS[name]
            if self.model.project is not None and name in self.model.project.client_types:
                return name  # a sync client type the user declared: its methods block
            if name.startswith("builtins."):
                literal = name[len("builtins."):]
                return f"builtins.{literal}" if literal in catalog.DATA_BUILTINS else None
        local = self.names.local_definition(call.func, scope)
        if isinstance(local, ClassInfo):
            return local
        if isinstance(local, FunctionInfo) and not local.is_async:
            return local.model.types.produced_type(local, depth + 1)
        if isinstance(func, ast.Attribute) and func.attr in catalog.MODEL_DUMPS and local is None \
                and isinstance(self.type_of(func.value, scope, depth + 1), ClassInfo):
            return catalog.MODEL_DUMPS[func.attr]  # `item.dict()` of a pydantic model class
        method_name = self.model.call_name(call, scope, depth + 1)
        if method_name:
            return lookup_table(catalog.RETURNS, method_name) if "." in method_name else None
        return None


def constructed_classes(model: ModuleModel, expr: ast.expr, scope: Scope,
                        depth: int = 0) -> list:
    """The project classes whose constructor call may build the value on some path:
    directly, through the function's own names, or what any `return` of a sync
    project function gives (`return []` on a guard does not hide the collection the
    other path builds). Never a long-lived instance (a global, an attribute)."""
    if depth >= MAX_RESOLVE_DEPTH:
        return []
    found = []
    if isinstance(expr, ast.Name):
        owner, bindings = model.names.lookup(expr.id, scope)
        if owner is not None and owner.function is not None:
            for binding in bindings:
                if binding.kind == "assign" and binding.value is not None:
                    found += constructed_classes(model, binding.value, owner, depth + 1)
    local = model.names.local_definition(expr.func, scope) \
        if isinstance(expr, ast.Call) else None
    if isinstance(local, ClassInfo):
        found.append(local)
    if isinstance(local, FunctionInfo) and not (local.is_async or local.is_generator):
        for returned in local.scope.returns:
            if returned.value is not None:
                found += constructed_classes(local.model, returned.value, local.scope,
                                             depth + 1)
    return list(dict.fromkeys(found))


def _keyword_passed(model: ModuleModel, lookup: ast.expr, scope: Scope, depth: int) -> TypeRef:
    """`kwargs["session"]` or `kwargs.get("session")` of a function's `**kwargs`: the one
    type the project's calls pass as `session=`."""
    if isinstance(lookup, ast.Subscript):
        mapping, key = lookup.value, lookup.slice
    elif isinstance(lookup, ast.Call) and isinstance(lookup.func, ast.Attribute) and \
            lookup.func.attr == "get" and len(lookup.args) == 1:
        mapping, key = lookup.func.value, lookup.args[0]
    else:
        return None
    if not (isinstance(mapping, ast.Name) and isinstance(key, ast.Constant)
            and isinstance(key.value, str)):
        return None
    owner, bindings = model.names.lookup(mapping.id, scope)
    function = owner.function if owner is not None else None
    if function is None or isinstance(function.node, ast.Lambda) or \
            function.node.args.kwarg is None or \
            [b.node for b in bindings] != [function.node.args.kwarg]:
        return None
    return model.usage.keyword_type(function, key.value, depth)


def _implementations_type(function: FunctionInfo, depth: int) -> TypeRef:
    """What the implementations of an abstract method return, when they agree."""
    known = []
    for concrete in function.model.implementations(function):
        found = concrete.model.types.produced_type(concrete, depth + 1)
        if found is not None and found not in known:
            known.append(found)
    return known[0] if len(known) == 1 else None


def _is_property(model: ModuleModel, node: ast.AST, scope: Scope) -> bool:
    """`@property` or a `cached_property` (functools', or a library's of that name)."""
    for decorator in getattr(node, "decorator_list", ()):
        name = model.names.resolve(decorator, scope) or ""
        if name == "builtins.property" or name.rpartition(".")[2] == "cached_property":
            return True
    return False


def _literal_type(expr: ast.expr) -> Optional[str]:
    if isinstance(expr, (ast.Dict, ast.DictComp)):
        return "builtins.dict"
    if isinstance(expr, (ast.List, ast.ListComp)):
        return "builtins.list"
    if isinstance(expr, (ast.Set, ast.SetComp)):
        return "builtins.set"
    if isinstance(expr, ast.Tuple):
        return "builtins.tuple"
    if isinstance(expr, ast.JoinedStr):
        return "builtins.str"
    if isinstance(expr, ast.Constant) and isinstance(expr.value, (str, bytes)):
        return f"builtins.{type(expr.value).__name__}"
    return None


def _position(binding: Binding) -> tuple:
    return binding.node.lineno, binding.node.col_offset


def _makes_async_sessions(model: ModuleModel, call: ast.Call, scope: Scope, name: str) -> bool:
    """`sessionmaker(class_=AsyncSession)` makes async sessions, not sync ones."""
    if name != "sqlalchemy.orm.sessionmaker":
        return False
    for keyword in call.keywords:
        if keyword.arg == "class_":
            target = model.names.resolve(keyword.value, scope) or ""
            return "Async" in target or "async" in target
    return False
