"""What a user script may write: the ast policy (RestrictedPython plus our refusals) and the
instrumentation it inserts (budget checks, sized operators, uncatchable budgets)."""
from __future__ import annotations

import ast

from RestrictedPython.transformer import RestrictingNodeTransformer

from .i18n import translate
from .limits import AST_BINOPS, AST_COMPARES
from .sandbox_classes import CLASS_DUNDERS, is_private
from .sandbox_restricted import restricted_text

__all__ = ["SCRIPT_FILENAME", "REFUSED_NAMES", "ScriptPolicy"]

SCRIPT_FILENAME = "<script>"

# Names a script may not even mention (most are also absent from its builtins).
REFUSED_NAMES = frozenset({
    "exec", "eval", "compile", "open", "delattr", "globals", "locals", "vars", "dir",
    "breakpoint", "help", "memoryview", "exit", "quit", "bytearray", "copyright", "credits",
    "license"})

class ScriptPolicy(RestrictingNodeTransformer):
    """RestrictedPython's policy, narrowed to the tutorial dialect and instrumented for budgets.

    Refuses what RestrictedPython allows but scripts must not do (``while``, ``class``, ``try``,
    ``global``, generators, imports other than torch and math, builtins like ``type``) and
    inserts ``_budget_()`` at the top of every loop and lambda body, ``_tick_()`` as the first
    condition of every comprehension and ``_enter_(name)`` at the top of every function body.
    Operators become ``_binop_`` / ``_compare_`` calls, ``*it`` becomes ``*_star_(it)`` and
    ``f"{x:spec}"`` becomes ``_format_(x, conversion, spec)``, so that sizes are checked before
    numpy or CPython allocates. ``refusals`` lists ``(lineno, col, message)``.
    """

    def __init__(self, import_refusal):
        super().__init__()
        self.refusals: list[tuple[int, int, str]] = []
        self._import_refusal = import_refusal
        self._scopes: list[str] = []          # "class", "function", "lambda", innermost last
        self._method_def = False

    def error(self, node, info):
        super().error(node, info)
        where = (getattr(node, "lineno", 1) or 1, getattr(node, "col_offset", 0) or 0)
        # RestrictedPython's own English messages as translated texts (its names kept)
        self.refusals.append((*where, restricted_text(info)))

    def _refuse(self, node, info):
        self.error(node, info)
        return node

    # ---------------------------------------------------------------- refused outright
    visit_TryStar = RestrictingNodeTransformer.visit_TryStar

    def visit_AsyncFunctionDef(self, node):
        return self._refuse(node, translate("Sandbox", "async code is not allowed"))

    visit_Await = visit_AsyncFor = visit_AsyncWith = visit_AsyncFunctionDef

    def visit_Name(self, node):
        if node.id in REFUSED_NAMES:
            self.error(node, translate("Sandbox", "'{name}' is not available in scripts").format(
                name=node.id))
        if node.id == "__name__" and isinstance(node.ctx, ast.Load):
            return node                      # `if __name__ == "__main__":`
        if node.id in CLASS_DUNDERS and self._scopes and self._scopes[-1] == "class":
            return node                      # `__rmul__ = __mul__` in a class body
        return super().visit_Name(node)

    # ---------------------------------------------------------------- admitted statements
    def visit_While(self, node):
        node = super().visit_While(node)
        node.body.insert(0, self._call_stmt("_budget_", [], node.body[0]))
        return node

    def visit_Try(self, node):
        """Handlers and ``finally`` first re-raise a budget the try swallowed: a script can
        never catch running out of time or memory."""
        node = super().visit_Try(node)
        for handler in node.handlers:
            handler.body.insert(0, self._call_stmt("_reraise_", [], handler.body[0]))
        if node.finalbody:
            node.finalbody.insert(0, self._call_stmt("_reraise_", [], node.finalbody[0]))
        return node

    def visit_Global(self, node):
        for name in node.names:
            self.check_name(node, name)
        return self.node_contents_visit(node)

    visit_Nonlocal = visit_Global

    def visit_AnnAssign(self, node):
        return self.node_contents_visit(node)

    def visit_Yield(self, node):
        if self._scopes and self._scopes[-1] == "lambda":
            return self._refuse(node, translate("Sandbox", "'yield' in a lambda is not allowed"))
        return super().visit_Yield(node)

    def visit_YieldFrom(self, node):
        """``yield from it`` delegates through ``_yieldfrom_``, which checks the budget per item
        (a C consumer such as ``list.extend`` would otherwise spin on ``range(10**12)``)."""
        node = self.visit_Yield(node)
        if isinstance(node, ast.YieldFrom):
            call = ast.Call(func=ast.Name("_yieldfrom_", ast.Load()), args=[node.value],
                            keywords=[])
            node.value = ast.fix_missing_locations(ast.copy_location(call, node.value))
        return node

    def visit_ClassDef(self, node):
        if any(k.arg != "metaclass" for k in node.keywords):
            self.error(node, translate("Sandbox",
                                       "class keywords are not allowed (only base classes)"))
        self._scopes.append("class")
        try:
            made = super().visit_ClassDef(node)
        finally:
            self._scopes.pop()
        # RestrictedPython rebuilds the statement from a template: give it the script's lines
        ast.copy_location(made, node)
        made.end_lineno, made.end_col_offset = node.end_lineno, node.end_col_offset
        for keyword in made.keywords:
            for part in ast.walk(keyword):
                ast.copy_location(part, node)
        return made

    def check_name(self, node, name, allow_magic_methods=False):
        if allow_magic_methods and name in CLASS_DUNDERS and self._method_def:
            return                          # `def __init__(self):` directly in a class body
        if is_private(name):
            return                          # `_children`, `def _backward():` (not a hook name)
        if allow_magic_methods and self._method_def and name.startswith("__") \
                and name.endswith("__"):
            self.error(node, translate(
                "Sandbox", "defining '{name}' is not allowed in scripts: it changes how Python "
                           "looks up, creates, copies or deletes objects (a class may define "
                           "__init__, __call__, __len__, __getitem__, __iter__, __next__, "
                           "__repr__, __str__, __enter__, __exit__, comparisons and "
                           "operators)").format(name=name))
            return
        super().check_name(node, name, allow_magic_methods)

    def visit_Attribute(self, node):
        """``super().__init__`` (and the other CLASS_DUNDERS on ``super()``) is admitted; the
        guards check at run time that it is the script's own class."""
        value = node.value
        if (node.attr in CLASS_DUNDERS and isinstance(node.ctx, ast.Load)
                and isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                and value.func.id == "super"):
            call = ast.Call(func=ast.Name("_getattr_", ast.Load()),
                            args=[self.visit(value), ast.Constant(node.attr)], keywords=[])
            return ast.fix_missing_locations(ast.copy_location(call, node))
        if node.attr == "__name__" and isinstance(node.ctx, ast.Load) or is_private(node.attr):
            # type(e).__name__; self._prev: the guards allow these on the script's own objects
            if not isinstance(node.ctx, ast.Load):
                node.value = ast.copy_location(ast.Call(
                    func=ast.Name("_write_", ast.Load()), args=[self.visit(value)],
                    keywords=[]), value)
                return ast.fix_missing_locations(node)
            call = ast.Call(func=ast.Name("_getattr_", ast.Load()),
                            args=[self.visit(value), ast.Constant(node.attr)], keywords=[])
            return ast.fix_missing_locations(ast.copy_location(call, node))
        return super().visit_Attribute(node)

    def visit_AugAssign(self, node):
        """``obj.attr op= v`` and ``obj[key] op= v``: evaluated as Python does (``obj`` and
        ``key`` once, the old value read before ``v``), through ``_inplacevar_``."""
        target = node.target
        if isinstance(target, ast.Name):
            return super().visit_AugAssign(node)
        op = ast.Constant(_AUG_OPS[type(node.op)])
        obj = self.visit(target.value)
        hold = [ast.Assign(targets=[ast.Name("_aug_obj_", ast.Store())], value=obj)]
        if isinstance(target, ast.Attribute):
            if target.attr.startswith("_") and not is_private(target.attr):
                return self._refuse(node, f'"{target.attr}" is an invalid attribute name '
                                          'because it starts with "_".')
            old = ast.Call(func=ast.Name("_getattr_", ast.Load()),
                           args=[ast.Name("_aug_obj_", ast.Load()), ast.Constant(target.attr)],
                           keywords=[])
            store = ast.Attribute(value=self._write_of("_aug_obj_"), attr=target.attr,
                                  ctx=ast.Store())
        else:
            key = self.visit(target.slice)
            if isinstance(key, ast.Slice) or isinstance(key, ast.Tuple) and any(
                    isinstance(e, ast.Slice) for e in key.elts):
                key = _slice_call(key)
            hold.append(ast.Assign(targets=[ast.Name("_aug_key_", ast.Store())], value=key))
            old = ast.Call(func=ast.Name("_getitem_", ast.Load()),
                           args=[ast.Name("_aug_obj_", ast.Load()),
                                 ast.Name("_aug_key_", ast.Load())], keywords=[])
            store = ast.Subscript(value=self._write_of("_aug_obj_"),
                                  slice=ast.Name("_aug_key_", ast.Load()), ctx=ast.Store())
        new = ast.Call(func=ast.Name("_inplacevar_", ast.Load()),
                       args=[op, old, self.visit(node.value)], keywords=[])
        stmts = hold + [ast.Assign(targets=[store], value=new)]
        for stmt in stmts:
            ast.copy_location(stmt, node)
            ast.fix_missing_locations(stmt)
        return stmts

    @staticmethod
    def _write_of(name):
        return ast.Call(func=ast.Name("_write_", ast.Load()), args=[ast.Name(name, ast.Load())],
                        keywords=[])

    def visit_Import(self, node):
        for alias in node.names:
            self._check_import(node, alias.name, None)
        return super().visit_Import(node)

    def visit_ImportFrom(self, node):
        if node.level:
            self.error(node, translate("Sandbox", "relative imports are not allowed"))
        else:
            for alias in node.names:
                self._check_import(node, node.module, alias.name)
        return super().visit_ImportFrom(node)

    def _check_import(self, node, module, name):
        why = self._import_refusal(module, name)
        if why:
            self.error(node, why)

    # ---------------------------------------------------------------- instrumented
    def visit_For(self, node):
        node = super().visit_For(node)
        node.body.insert(0, self._call_stmt("_budget_", [], node.body[0]))
        return node

    def visit_comprehension(self, node):
        node = super().visit_comprehension(node)
        tick = ast.Call(func=ast.Name("_tick_", ast.Load()), args=[], keywords=[])
        node.ifs.insert(0, ast.fix_missing_locations(ast.copy_location(tick, node.iter)))
        return node

    def visit_FunctionDef(self, node):
        method = bool(self._scopes) and self._scopes[-1] == "class"
        self._method_def = method
        self._scopes.append("function")
        try:
            node = super().visit_FunctionDef(node)
        finally:
            self._scopes.pop()
            self._method_def = False
        if method and (node.args.posonlyargs or node.args.args):
            first = (node.args.posonlyargs + node.args.args)[0].arg
            for call in _own_calls(node, "super"):   # super() -> super(__class__, self)
                if not call.args and not call.keywords:
                    call.args = [ast.Name("__class__", ast.Load()), ast.Name(first, ast.Load())]
        first = node.body[0]
        if method or _is_generator(node):
            # a method's nodes are grouped by its module (Module.__call__ names the scope), a
            # generator's frame outlives the call: neither opens a scope of its own
            node.body.insert(0, self._call_stmt("_budget_", [], first))
            return ast.fix_missing_locations(node)
        leave = self._call_stmt("_leave_", [], node.body[-1])
        guarded = ast.Try(body=node.body, handlers=[], orelse=[], finalbody=[leave])
        ast.copy_location(guarded, first)
        node.body = [self._call_stmt("_enter_", [ast.Constant(node.name)], first), guarded]
        ast.fix_missing_locations(node)
        return node

    def visit_Lambda(self, node):
        self._scopes.append("lambda")
        try:
            node = super().visit_Lambda(node)
        finally:
            self._scopes.pop()
        check = ast.Call(func=ast.Name("_budget_", ast.Load()), args=[], keywords=[])
        node.body = ast.copy_location(ast.BoolOp(op=ast.Or(), values=[check, node.body]), node.body)
        ast.fix_missing_locations(node)
        return node

    def visit_Starred(self, node):
        node = super().visit_Starred(node)
        if isinstance(node.ctx, ast.Load):      # f(*it), [*it]: unpacked in C, so sized first
            call = ast.Call(func=ast.Name("_star_", ast.Load()), args=[node.value], keywords=[])
            node.value = ast.fix_missing_locations(ast.copy_location(call, node.value))
        return node

    def visit_FormattedValue(self, node):
        node = super().visit_FormattedValue(node)
        if node.format_spec is None:   # f"{x}": its text sized first (Limits.check_text)
            call = ast.Call(func=ast.Name("_text_", ast.Load()), args=[node.value], keywords=[])
            node.value = ast.fix_missing_locations(ast.copy_location(call, node.value))
            return node
        call = ast.Call(func=ast.Name("_format_", ast.Load()),
                        args=[node.value, ast.Constant(node.conversion), node.format_spec],
                        keywords=[])
        call = ast.fix_missing_locations(ast.copy_location(call, node.value))
        return ast.copy_location(ast.FormattedValue(value=call, conversion=-1), node)

    def visit_BinOp(self, node):
        node = super().visit_BinOp(node)
        return self._call_expr("_binop_", AST_BINOPS[type(node.op)], node.left, node.right, node)

    def visit_Compare(self, node):
        node = super().visit_Compare(node)
        op = AST_COMPARES.get(type(node.ops[0])) if len(node.ops) == 1 else None
        if op is None:
            return node
        return self._call_expr("_compare_", op, node.left, node.comparators[0], node)

    @staticmethod
    def _call_expr(func, op, left, right, where):
        call = ast.Call(func=ast.Name(func, ast.Load()), args=[ast.Constant(op), left, right],
                        keywords=[])
        return ast.fix_missing_locations(ast.copy_location(call, where))

    @staticmethod
    def _call_stmt(func, args, where):
        call = ast.Call(func=ast.Name(func, ast.Load()), args=args, keywords=[])
        return ast.fix_missing_locations(ast.copy_location(ast.Expr(call), where))


_AUG_OPS = {ast.Add: "+=", ast.Sub: "-=", ast.Mult: "*=", ast.Div: "/=", ast.FloorDiv: "//=",
            ast.Mod: "%=", ast.Pow: "**=", ast.MatMult: "@=", ast.LShift: "<<=",
            ast.RShift: ">>=", ast.BitAnd: "&=", ast.BitOr: "|=", ast.BitXor: "^="}


def _slice_call(key):
    """A subscript's slices as ``_slice_(a, b, c)`` calls, so the key can be held in a name."""
    def one(node):
        if not isinstance(node, ast.Slice):
            return node
        parts = [p if p is not None else ast.Constant(None)
                 for p in (node.lower, node.upper, node.step)]
        return ast.Call(func=ast.Name("_slice_", ast.Load()), args=parts, keywords=[])
    if isinstance(key, ast.Tuple):
        return ast.Tuple(elts=[one(e) for e in key.elts], ctx=ast.Load())
    return one(key)


def _own_nodes(func):
    """The nodes of a function's body, not those of functions, lambdas or classes in it."""
    todo = list(func.body)
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                                 ast.ClassDef)):
            todo.extend(ast.iter_child_nodes(node))
        else:
            todo.extend(getattr(node, "decorator_list", ()))


def _own_calls(func, name):
    return [n for n in _own_nodes(func) if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Name) and n.func.id == name]


def _is_generator(func):
    return any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in _own_nodes(func))
