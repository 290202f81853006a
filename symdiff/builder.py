"""Building IR: `Builder` appends equations to a list, `b.exp(x)` or `b.mul(g, y)` one
each, keeping the shapes of what it builds up to date where shapes are known.

Derivative rules (the primitive table's partials, VJPs and JVPs) are written with a
builder, so a derivative is itself IR that can be simplified, printed and
differentiated again.
"""

from __future__ import annotations

from .analysis import result_shape
from .ir import Const, Eqn, NameAllocator, Var, as_atom


class Builder:
    """Appends equations to a list; `b.exp(x)`, `b.mul(g, y)` build one each.

    Python numbers given as arguments become `Const`s. Every equation built gets a
    fresh temporary name unless `name=` is given. `ns` is the library derivative
    code should call (the one the differentiated equation used), `fallback_ns`
    the one used where `ns` has no spelling for a primitive.
    """

    def __init__(self, names: NameAllocator, prims, ns="math", fallback_ns="math", loc=None,
                 shapes: dict | None = None):
        self.names = names
        self.prims = prims
        self.ns = ns
        self.fallback_ns = fallback_ns
        self.loc = loc
        self.shapes = shapes  # name -> shape, kept up to date, when shapes are known
        self.guard: tuple = ()  # the guard of the equations built now
        self.eqns: list[Eqn] = []
        self.defined: dict[str, Eqn] = {}  # output name -> the equation built for it
        self.unscaled: dict[str, Var] = {}  # g * 1.0 (through any chain of them) -> g

    def emit(self, prim: str, *args, name: str | None = None, **params) -> Var:
        """`prim(*args, **params)` as a new equation; its output (named `name`)."""
        row = self.prims[prim]
        args = tuple(map(as_atom, args))
        ns = self._spelling_ns(row)
        if ns is None and row.expand is not None:
            return row.expand(self, *args)
        out = Var(name, made=True) if name else Var(self.names.temp(), temp=True)
        params = tuple(params.items())
        self.eqns.append(Eqn(out, prim, args, ns or "numpy", params, self.loc, self.guard))
        self.defined[out.name] = self.eqns[-1]
        if prim == "mul" and isinstance(args[0], Var) and args[1] == Const(1.0):
            self.unscaled[out.name] = self.unscaled.get(args[0].name, args[0])
        if self.shapes is not None:
            self.shapes[out.name] = result_shape(prim, [self.shape(a) for a in args], params, self.prims)
        return out

    def shape(self, atom) -> tuple:
        """The shape of `atom` (only where shapes are known); a number's is ()."""
        if isinstance(atom, Var):
            return self.shapes[atom.name]
        return tuple(getattr(atom.value if isinstance(atom, Const) else atom, "shape", ()))

    def fit(self, g, shape: tuple):
        """Sum `g` over the axes along which a value of `shape` was broadcast.

        Axes where `g` has length 1 and `shape` does not are left alone: NumPy
        broadcasting restores them where `g` is used.
        """
        have = self.shape(g)
        lead = len(have) - len(shape)
        if lead > 0 and not shape:  # everything: np.sum(g)
            return self.emit("sum", g)
        if lead > 0:
            g = self.emit("sum", g, axis=tuple(range(lead)) if lead > 1 else 0)
            have = have[lead:]
        offset = len(shape) - len(have)
        axes = tuple(i for i, n in enumerate(have) if n != 1 and shape[i + offset] == 1)
        if axes:
            g = self.emit("sum", g, axis=axes if len(axes) > 1 else axes[0], keepdims=True)
        return g

    def exact(self, g, shape: tuple):
        """`g` broadcast to exactly `shape` (a read-only view where it differs)."""
        return g if self.shape(g) == tuple(shape) else self.emit("broadcast_to", g, shape=tuple(shape))

    def _spelling_ns(self, row) -> str | None:
        # (last, SciPy: scipy.special.digamma in the derivative of math.lgamma)
        for ns in ("op", self.ns, self.fallback_ns, "builtins", "scipy"):
            if ns in row.spelling:
                return ns
        return None

    def __getattr__(self, prim: str):
        if prim.startswith("_") or prim not in self.prims:
            raise AttributeError(prim)
        return lambda *args, **kw: self.emit(prim, *args, **kw)
