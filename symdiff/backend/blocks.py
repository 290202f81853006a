"""Printing of branches and loops: a mixin of `emit._Printer`.

Guarded equations go into `if c:` / `else:` blocks, a `cond` merge into an
assignment in each block (or `y = a if c else b`), and a `loop` equation into a
for statement whose carried values and tape take the names of the `pick`s that
read them (see emit.py and loops.py).
"""

from __future__ import annotations

import ast
import linecache

from ..ir import Const, Func, Var, loop_leading_args


class BlockPrinting:
    """Methods of `emit._Printer` for blocks (it supplies atom, store, statements, names)."""

    def block(self, statements: list, guard: tuple) -> list:
        """The statement list for `guard`: the last `if` of each condition, or a new one."""
        for cond, polarity in guard:
            key = self.name_of(cond)
            last = statements[-1] if statements else None
            if last is None or self.blocks.get(id(last)) != key:
                last = ast.If(self.atom(cond), [], [])
                self.blocks[id(last)] = key
                where = self.where.get(getattr(cond, "name", None))
                if where is not None and where.line not in self.loop_lines:  # (a break's flag: no)
                    statements.extend(self.comment(where))
                statements.append(last)
            statements = last.body if polarity else last.orelse
        return statements

    def merge(self, statements: list, eqn):
        """`y = cond(c, a, b)`: `y = a` / `y = b` in the blocks of c, or `y = a if c else b`."""
        cond, a, b = eqn.args
        outer = self.block(statements, eqn.guard)
        last = outer[-1] if outer else None
        if last is not None and self.blocks.get(id(last)) == self.name_of(cond):
            target = self.name_of(eqn.out)
            for branch, value in ((last.body, a), (last.orelse, b)):
                if self.name_of(value) != target:
                    branch.append(ast.Assign([self.store(eqn.out)], self.atom(value)))
            return
        value = ast.IfExp(self.atom(cond), self.atom(a), self.atom(b))
        outer.append(ast.Assign([self.store(eqn.out)], value))

    def loop(self, statements: list, eqn):
        """A `loop` equation as a for statement (see loops.py), with its carried values
        and tape under the names of the `pick`s that read them."""
        params = dict(eqn.params)
        body, k, kind, record = params["body"], params["carried"], params["kind"], params.get("record", ())
        rest = eqn.args[loop_leading_args(kind):]
        count = len(body.params) - len(rest)
        iteration, carried = body.params[:count], body.params[count:count + k]
        picks = self.picks.get(eqn.out.name, {})
        slots = [self.name_of(picks[j]) if j in picks and not picks[j].temp else self.name_of(carried[j].var)
                 for j in range(k)]
        for j, param in enumerate(carried):
            self.names[param.var.name] = slots[j]
            if j in picks:
                self.names[picks[j].name] = slots[j]
        self.names.update(_coalesced_results(body, carried, slots, self.uses))
        outer = self.block(statements, eqn.guard)
        for param, atom in zip(body.params[count + k:], rest[k:], strict=True):
            if self.name_of(param.var) == self.name_of(atom):
                continue
            if param.var.temp and isinstance(atom, Var) and self.name_of(atom) not in slots:
                self.names[param.var.name] = self.name_of(atom)  # (a temporary: read under its value's name)
                continue
            outer.append(ast.Assign([self.store(param.var)], self.atom(atom)))  # a renamed free variable
        for j, (slot, init) in enumerate(zip(slots, rest[:k], strict=True)):
            if (eqn.out.name, j) in self.copied:  # the body writes into it in place (inplace.py)
                copy = ast.Call(self.module_attr("numpy", "copy"), [self.atom(init)], [])
                outer.append(ast.Assign([ast.Name(slot, ast.Store())], copy))
            elif self.name_of(init) != slot:
                outer.append(ast.Assign([ast.Name(slot, ast.Store())], self.atom(init)))
        inner: list[ast.stmt] = []
        if record and "tape" in picks:  # (a tape nothing reads, its adjoint simplified away, is not kept)
            tape = self.name_of(picks["tape"])
            outer.append(ast.Assign([ast.Name(tape, ast.Store())], ast.List([], ast.Load())))
            values = [self.atom(body.params[j].var) for j in record]
            entry = values[0] if len(values) == 1 else ast.Tuple(values, ast.Load())
            append = ast.Attribute(ast.Name(tape, ast.Load()), "append", ast.Load())
            inner.append(ast.Expr(ast.Call(append, [entry], [])))
        self.loop_lines.append(eqn.loc.line if eqn.loc else None)
        self.statements(body.body, inner)
        self.loop_lines.pop()
        pending = [(slot, r) for slot, r in zip(slots, body.results, strict=True) if self.name_of(r) != slot]
        if pending:
            targets = [ast.Name(slot, ast.Store()) for slot, _ in pending]
            values = [self.atom(r) for _, r in pending]
            inner.append(ast.Assign([targets[0] if len(targets) == 1 else ast.Tuple(targets, ast.Store())],
                                    values[0] if len(values) == 1 else ast.Tuple(values, ast.Load())))
        outer.extend(self.comment(eqn.loc, "backwards" if kind == "tape" else ""))
        if params.get("stop") is not None:  # a break: leave once its flag is set
            inner.append(ast.If(ast.Name(slots[params["stop"]], ast.Load()), [ast.Break()], []))
        if kind == "while":
            outer.append(ast.While(ast.Name(slots[params["cond"]], ast.Load()), inner or [ast.Pass()], []))
            return
        targets = [self.store(p.var) for p in iteration]
        target = targets[0] if len(targets) == 1 else ast.Tuple(targets, ast.Store())
        outer.append(ast.For(target, self.iterable(eqn, kind), inner or [ast.Pass()], [], None))

    def comment(self, loc, how: str = "") -> list[ast.stmt]:
        """A marker for the comment `# line 12: for k in range(n):` (none without a source
        line). The source line is only ever text in a comment: newlines and other
        control characters become spaces."""
        if loc is None:
            return []
        line = linecache.getline(loc.filename, loc.line).strip()
        line = "".join(c if c.isprintable() else " " for c in line)
        self.comments.append(f"line {loc.line}{', ' + how if how else ''}{': ' + line if line else ''}")
        return [ast.Expr(ast.Name(f"__symdiff_comment_{len(self.comments) - 1}__", ast.Load()))]

    def iterable(self, eqn, kind: str) -> ast.expr:
        if kind == "tape":
            counted = self.ranges.get(getattr(eqn.args[0], "name", None))
            tape = self.range_call(counted.args) if counted is not None else self.atom(eqn.args[0])
            return ast.Call(ast.Name("reversed", ast.Load()), [tape], [])
        return self.range_call(eqn.args[:3])

    def range_call(self, bounds) -> ast.expr:
        start, stop, step = bounds
        bounds = [start, stop, step]
        if _is_const(step, 1):
            bounds = [stop] if _is_const(start, 0) else [start, stop]
        return ast.Call(ast.Name("range", ast.Load()), [self.atom(b) for b in bounds], [])


def blocks(func: Func):
    """`func` and the bodies of its loops, nested ones included."""
    yield func
    for eqn in func.body:
        if eqn.prim == "loop":
            yield from blocks(dict(eqn.params)["body"])


def coalesced(func: Func, uses: dict, names: dict) -> dict[str, str]:
    """Printed names that make each merge's branch values and result one variable.

    A branch value joins its merge `y = cond(c, a, b)` when it is defined
    directly in that branch, read only by the merge, and nothing printed at the
    merge's level comes between its definition and the merge (so the merge goes
    into the same `if`). Each group is printed under its first named member.
    """
    index = {e.out.name: i for i, e in enumerate(func.body)}
    parent: dict[str, str] = {}

    def root(name):
        while parent.get(name, name) != name:
            name = parent[name]
        return name

    def printed(eqn):
        return not (eqn.out.temp and uses.get(eqn.out.name, 0) == 1)

    for k, eqn in enumerate(func.body):
        if eqn.prim != "cond" or not printed(eqn):
            continue
        cond = eqn.args[0]
        for value, polarity in zip(eqn.args[1:], (True, False), strict=True):
            i = index.get(value.name) if isinstance(value, Var) else None
            if i is None or uses.get(value.name) != 1 or not printed(func.body[i]) \
                    or func.body[i].guard != eqn.guard + ((cond, polarity),):
                continue
            between = func.body[i + 1:k]
            if all(len(e.guard) > len(eqn.guard) and e.guard[:len(eqn.guard) + 1][-1][0] == cond
                   and e.guard[:len(eqn.guard)] == eqn.guard
                   or (e.prim == "cond" and e.guard == eqn.guard and e.args[0] == cond)
                   or not printed(e) for e in between):
                parent[root(value.name)] = root(eqn.out.name)
    groups: dict[str, list[str]] = {}
    for name in parent:
        groups.setdefault(root(name), []).append(name)
    renames = {}
    for top, members in groups.items():
        members = sorted([top, *members], key=lambda n: index[n])
        named = [n for n in members if not func.body[index[n]].out.temp]
        chosen = named[0] if named else names.get(top, top)
        renames.update((n, chosen) for n in members)
    return renames


def _coalesced_results(body: Func, carried, slots, uses) -> dict[str, str]:
    """Body results printed under their carried name directly (`s = s + x`): a result
    defined in the body, after which nothing reads the value the name held before."""
    renames = {}
    index = {e.out.name: i for i, e in enumerate(body.body)}
    for j, (param, slot, result) in enumerate(zip(carried, slots, body.results, strict=False)):
        i = index.get(result.name) if isinstance(result, Var) else None
        if i is None or body.body[i].guard or (body.body[i].out.temp and uses.get(result.name) == 1):
            continue
        later = [a for e in body.body[i + 1:] for a in e.reads]
        later += [r for m, r in enumerate(body.results) if m != j]
        if not any(isinstance(a, Var) and a.name == param.var.name for a in later):
            renames[result.name] = slot
    return renames


def _is_const(atom, value) -> bool:
    return isinstance(atom, Const) and not isinstance(atom.value, bool) and atom.value == value
