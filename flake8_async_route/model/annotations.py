"""What type annotations declare: `Optional`, `Union`, `|` and `Annotated` seen through,
string annotations parsed, `SessionDep`-style aliases followed."""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from .. import catalog
from .symbols import MAX_RESOLVE_DEPTH, ClassInfo, Scope, TypeRef, canonical

if TYPE_CHECKING:
    from .module import ModuleModel


def annotation_type(model: ModuleModel, annotation: ast.expr, scope: Scope,
                    depth: int = 0) -> TypeRef:
    """The type an annotation declares, in the terms of `TypeInference.type_of`."""
    if depth > MAX_RESOLVE_DEPTH:
        return None
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            parsed = ast.parse(annotation.value, mode="eval").body
        except (SyntaxError, ValueError):
            return None
        return annotation_type(model, parsed, scope, depth + 1)
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return (annotation_type(model, annotation.left, scope, depth + 1)
                or annotation_type(model, annotation.right, scope, depth + 1))
    if isinstance(annotation, ast.Subscript):
        base = model.names.resolve(annotation.value, scope) or ""
        inner = annotation.slice
        if isinstance(inner, ast.Index):  # Python 3.8 shape, kept for old trees
            inner = inner.value  # pragma: no cover
        elements = inner.elts if isinstance(inner, ast.Tuple) else [inner]
        if base.endswith(("Annotated", "Optional", "Union")):
            candidates = elements[:1] if base.endswith("Annotated") else elements
            for element in candidates:
                found = annotation_type(model, element, scope, depth + 1)
                if found is not None:
                    return found
            return None
        return annotation_type(model, annotation.value, scope, depth + 1)  # `Future[bytes]`
    local = model.names.local_definition(annotation, scope)
    if isinstance(local, ClassInfo):
        return local
    name = model.names.resolve(annotation, scope)
    if name:
        name = canonical(name)
        if name in catalog.ANNOTATION_TYPES:
            return name
        if catalog.CONSTRUCTORS.get(name) in catalog.ANNOTATION_TYPES:
            return catalog.CONSTRUCTORS[name]  # `pool: ThreadPoolExecutor`
        if name.startswith("builtins.") and name[len("builtins."):] in catalog.DATA_BUILTINS:
            return name
        for (prefix, suffix), stub_type in catalog.STUB_TYPES.items():
            if name.startswith(prefix) and name.endswith(suffix):
                return stub_type  # `client: S3Client` from `mypy_boto3_s3`
    if isinstance(annotation, ast.Name):  # SessionDep = Annotated[Session, Depends(...)]
        owner, bindings = model.names.lookup(annotation.id, scope)
        for binding in bindings:
            if binding.kind == "assign" and isinstance(binding.value, ast.Subscript):
                return annotation_type(model, binding.value, owner, depth + 1)
    return None
