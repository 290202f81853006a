"""Custom derivative rules: a function symdiff treats as one opaque primitive.

    @symdiff.custom_derivative(lambda x: 1.0 / (1.0 + math.exp(-x)))
    def softplus(x):
        return math.log1p(math.exp(x)) if x < 30.0 else x

    symdiff.custom_derivative(lambda x: expit(x) * (1.0 - expit(x)))(expit)  # no source needed

A call to such a function is lowered to one equation `y = custom(x, rule=R)`,
whose partial derivatives are calls to the functions given, one per parameter:
reverse mode multiplies them by the adjoint, forward mode by the tangents,
`verify` gives SymPy a function whose derivative they are, and the generated
code calls the function and its partials by name. The rule is for functions of
numbers: each partial returns the derivative with respect to one argument.

On arrays (code specialized to shapes, where an argument of the call is known to
be one) the function and each partial is applied entry by entry unless it takes
arrays itself: `Rule.on_arrays` decides that once per function, when the code is
generated, by `takes_arrays` (a probe call on small float arrays), and the
generated code then calls `_elementwise(softplus, b)` (np.vectorize) in place of
`softplus(b)`. Code for numbers calls them directly.
The CLI reads the decorator statically (`@symdiff.custom_derivative(d_f)` with
partials named by module-level functions of the file); it cannot probe them, so
on arrays it applies them entry by entry.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..errors import UnsupportedSyntaxError

RULES: dict = {}  # function -> its partial derivatives (functions), as registered


def custom_derivative(*partials):
    """Declare a function opaque to symdiff and give its partial derivatives.

    Args:
        partials: one function per parameter of the decorated function, taking
            the same arguments and returning the partial derivative with respect
            to that parameter.

    Returns:
        A decorator registering the function (and returning it unchanged); it can
        also be applied to a function without Python source (a NumPy ufunc, a
        SciPy function) as `custom_derivative(d)(expit)`.

    Example:
        >>> import math, symdiff
        >>> @symdiff.custom_derivative(lambda x: 1.0 / (1.0 + math.exp(-x)))
        ... def softplus(x):
        ...     return math.log1p(math.exp(x))
        >>> softplus(0.0) == math.log(2.0)
        True
    """
    if not partials or not all(callable(p) for p in partials):
        raise TypeError("custom_derivative takes one function per parameter: its partial derivatives")

    def register(fun):
        RULES[fun] = partials
        return fun

    return register


def registered(value):
    """The partial derivatives registered for `value`, or None."""
    try:
        return RULES.get(value)
    except TypeError:  # (unhashable)
        return None


PROBE = (0.25, 0.5, 1.5)  # the entries `takes_arrays` calls a function on (0.125 more per argument)


def takes_arrays(fun, arity: int) -> bool:
    """Whether `fun`, written for numbers, takes arrays as well: called on float arrays of
    the `PROBE` entries (one per argument) it returns an array of their shape holding, to
    1e-12, what it returns for each entry. Where it raises (`math.exp` of an array, `if x >
    0.0:`), or returns anything else, its rule is applied to arrays entry by entry."""
    probes = [np.array(PROBE) + 0.125 * k for k in range(arity)]
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            whole = fun(*probes)
            entries = [fun(*(float(p[i]) for p in probes)) for i in range(len(PROBE))]
            entries = np.asarray(entries, dtype=float)
            return isinstance(whole, np.ndarray) and whole.shape == (len(PROBE),) and \
                bool(np.allclose(whole, entries, rtol=1e-12, atol=0.0, equal_nan=True))
    except Exception:  # (the user's function: whatever it raises on arrays means it does not take them)
        return False


class Rule:
    """A custom primitive: how the generated code calls it, the function (None when
    the file was read statically) and the rules of its partials. `elementwise` marks
    the rule applied to arrays entry by entry (see `on_arrays`). Compared by identity."""

    __slots__ = ("name", "fun", "partials", "loc", "_sympy", "elementwise", "origin", "_arrays")

    def __init__(self, name: str, fun, partials: tuple, loc, elementwise: bool = False, origin=None):
        self.name, self.fun, self.partials, self.loc, self._sympy = name, fun, partials, loc, None
        self.elementwise = elementwise
        self.origin = origin  # the rule this one applies to arrays (one SymPy function for both)
        self._arrays: dict[int, Rule] = {}  # the number of arguments -> the rule on arrays

    def on_arrays(self, arity: int) -> Rule:
        """The rule for a call of `arity` arguments some of which are arrays: itself where
        the function and every partial take arrays (`takes_arrays`), else one whose
        functions that do not are applied entry by entry. Decided once per rule."""
        if arity not in self._arrays:
            self._arrays[arity] = self  # (while deciding: a rule that is its own partial)
            partials = tuple(p.on_arrays(arity) for p in self.partials)
            elementwise = self.elementwise or self.fun is None or not takes_arrays(self.fun, arity)
            if elementwise != self.elementwise or any(p is not q for p, q in zip(partials, self.partials,
                                                                                   strict=True)):
                self._arrays[arity] = Rule(self.name, self.fun, partials, self.loc, elementwise, self)
        return self._arrays[arity]

    def __repr__(self) -> str:
        return self.name

    def partial(self, index: int, loc=None) -> Rule:
        if index >= len(self.partials):
            what = (f"no derivative of {self.name} is given" if not self.partials else
                    f"the custom derivative of {self.name} gives {len(self.partials)} partial(s), "
                    f"but it is called with an argument {index + 1}")
            raise UnsupportedSyntaxError(loc or self.loc, f"{what}; give one partial per parameter with "
                                         "symdiff.custom_derivative")
        return self.partials[index]

    def sympy(self):
        """A SymPy function of this name: numbers in, the Python function's value out;
        its derivative is the SymPy function of the partial."""
        if self.origin is not None:  # (applied to arrays: the same function)
            return self.origin.sympy()
        if self._sympy is None:
            import sympy as sp

            rule = self

            class Custom(sp.Function):
                @classmethod
                def eval(cls, *args):
                    if rule.fun is not None and all(a.is_number and a.is_real for a in args):
                        return sp.Float(float(rule.fun(*(float(a) for a in args))), 30)
                    return None

                def fdiff(self, argindex=1):
                    return rule.partial(argindex - 1).sympy()(*self.args)

            Custom.__name__ = Custom.__qualname__ = self.name.replace(".", "_")
            self._sympy = Custom
        return self._sympy


def evaluate(*args, rule: Rule):
    if rule.fun is None:
        raise UnsupportedSyntaxError(rule.loc, f"{rule.name} was read from a file without running it, so "
                                     "symdiff cannot evaluate it; import the module and use the Python API")
    if rule.elementwise:
        return np.vectorize(rule.fun, otypes=[float])(*args)
    return rule.fun(*args)


def sympy_meaning(*args, rule: Rule):
    return rule.sympy()(*args)


def vjp_rules(count: int) -> tuple:
    return tuple(_vjp(i) for i in range(count))


def jvp(b, eqn, tangents, rule):
    """A function with a custom derivative rule: its partials times the tangents."""
    terms = [b.mul(b.emit("custom", *eqn.args, rule=rule.partial(i, eqn.loc)), tangent)
             for i, tangent in enumerate(tangents) if tangent is not None]
    total = terms[0] if terms else None
    for term in terms[1:]:
        total = b.add(total, term)
    return total


def _vjp(index: int):
    def rule(b, g, out, *args, rule):
        return b.mul(g, b.emit("custom", *args, rule=rule.partial(index, b.loc)))
    return rule
