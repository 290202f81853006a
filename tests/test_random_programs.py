"""Random programs (random_programs.py), differentiated by symdiff and checked against
SymPy, in reverse and forward mode.

Each program is written to its own file and imported, so symdiff reads it like
any user function; programs branch (`if` / `else`, `a if c else b`, `and`, `or`,
`not`, chained comparisons), in loops and helpers too. The property: at 3
points, `symdiff.grad(f, wrt=every parameter)` agrees with SymPy's derivative of
the same function object (sympy_reference.py) to 1e-8 relative to max(1,
|exact|); `value_and_grad` returns f's own value bit-for-bit and the same
gradient; `symdiff.jvp` returns the value and the derivative along a fixed
direction; and `symdiff.verify` accepts f. SymPy cannot branch on a symbol, so
the reference runs f taking at each comparison the branch the point takes, to
30 digits: its closed form is that of the point's path. Points where SymPy's
derivative cannot judge the float function are skipped (`why_not_comparable`:
the reference is complex or infinite there, the point is on a jump, kink or a
branch's boundary, float rounding takes another branch than exact arithmetic,
or the reference's closed form is larger than sympy_reference.MAX_NODES), but
every program must be compared at one point at least. verify is not run where
float rounding takes another branch (it judges comparisons of inputs by exact
arithmetic). No check has a time limit: SymPy's work is bounded by the size of
the closed forms it is given (here and in verify, budget.py).

The default run draws `QUICK_EXAMPLES` programs; the `slow` selection (`pytest -m
slow`, run by CI) draws `MAX_EXAMPLES` others, derandomized; SYMDIFF_FUZZ_EXAMPLES=N
draws N there (`--hypothesis-show-statistics` counts the skipped points). Failures
found are minimized into `REGRESSIONS`, which always run; known symdiff bugs there
are strict xfails. The checker is itself tested: the skipped points, that the
reference takes each point's branch, and that a gradient off by 1e-7 relative,
the gradient of the other branch, or a value off by one ulp fails.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import itertools
import math
import os
import types

import numpy as np
import pytest
import sympy as sp
from hypothesis import (HealthCheck, Phase, assume, currently_in_test_context, event, given,
                        note, settings)
from hypothesis import strategies as st

import symdiff

from .support.random_programs import PARAMS, points, programs
from .support.sympy_reference import (OutsideDomain, ReferenceFailed, closed_form, evaluate,
                              reference_gradient, reference_value)

RTOL = 1e-8            # symdiff vs SymPy's 30-digit value, relative to max(1, |exact|)
STEP_MARGIN = 1e-9     # closer than this to a jump or a kink is "on" it
NEIGHBOUR = 1e-3       # the closed form must reproduce f this far from a compared point
QUICK_EXAMPLES = 8     # programs in the default run...
MAX_EXAMPLES = int(os.environ.get("SYMDIFF_FUZZ_EXAMPLES", "60"))  # ...and in the slow one
DIRECTION = (1.0, -0.5, 0.25)  # the tangent jvp is checked along (its first len(params) entries)


# ------------------------------------------------------------------ the check

_MODULE_NUMBERS = itertools.count()


def load(source: str, directory) -> object:
    """`f` from `source`, written to a new file (linecache must find it) and imported."""
    number = next(_MODULE_NUMBERS)
    path = directory / f"random_program_{number}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(f"symdiff_random_program_{number}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.f


def is_float(value) -> bool:
    return isinstance(value, (float, np.floating)) and not isinstance(value, (bool, np.bool_))


def assert_close(actual, expected, what):
    # Written so that NaN on either side fails: NaN <= tol is False.
    error = abs(float(actual) - float(expected))
    assert error <= RTOL * max(1.0, abs(float(expected))), (
        f"{what}: got {actual!r}, expected {expected!r} (error {error:.2e})")


def switches(expr):
    """(expression, kind): where the expression is an integer (floor) or 0 (the
    others), `expr`'s closed form jumps or has a kink."""
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.floor, sp.ceiling)):
            yield node.args[0], "jump of floor"
        elif isinstance(node, sp.Piecewise):
            for _, condition in node.args:
                if isinstance(condition, sp.core.relational.Relational):
                    yield condition.lhs - condition.rhs, "jump of a comparison"
        elif isinstance(node, sp.Abs):
            yield node.args[0], "kink of abs"
        elif isinstance(node, (sp.Max, sp.Min)):
            for first, second in itertools.combinations(node.args, 2):
                yield first - second, "tie of max or min"


def branch_switches(decisions):
    """(expression, kind): where lhs - rhs of a relation the path decided is 0, the
    branch taken changes (an `if`, `a if c else b`, `and`, `or`, `not`)."""
    for relation, _ in decisions:
        yield relation.lhs - relation.rhs, "boundary of a branch"


def module_functions(f):
    """f and the functions of its module it can call (the helpers)."""
    return [f] + [value for value in f.__globals__.values()
                  if isinstance(value, types.FunctionType) and value is not f
                  and value.__module__ == f.__module__]


def source_nodes(f):
    """The `ast` nodes of f's source and of its helpers'."""
    for function in module_functions(f):
        yield from ast.walk(ast.parse(inspect.getsource(function)))


def uses(f, *kinds) -> bool:
    """Whether the source of f or of its helpers has a node of one of these `ast` types."""
    return any(isinstance(node, kinds) for node in source_nodes(f))


def has_steps(f) -> bool:
    """Whether the source of f or of its helpers has a comparison, floor, ceil, // or %."""
    return any(isinstance(node, (ast.Compare, ast.FloorDiv, ast.Mod)) or
               (isinstance(node, ast.Attribute) and node.attr in ("floor", "ceil"))
               for node in source_nodes(f))


ROUNDING = "float rounding takes another branch than exact arithmetic"


def why_not_comparable(f, point) -> str | None:
    """Why SymPy's derivative cannot judge symdiff's at `point`, or None if it can.

    The derivative does not exist where a step function jumps (x % 1.0 at x = 0,
    a comparison between equal values) or at a kink: SymPy and symdiff then
    return different one-sided or conventional values, since SymPy may have
    simplified the step or kink (abs(x % 1.0) is x % 1.0 to it, abs(min(0, s)) is
    -min(0, s): at s = 0 that takes the tie's 1/2 instead of abs's 0; test_kinks.py
    checks the conventions themselves). On a branch's boundary (`if x > y:` at
    x = y), the closed form is that of one side, and floats may take the other.
    And where float rounding decides a step or a branch differently from exact
    arithmetic (float(0.0 <= math.sin(math.tau)) is 0, exactly it is 1), the
    closed form is not the function the floats compute: it must reproduce f's
    value at the point and at its neighbours one `NEIGHBOUR` step away along each
    axis (the step may be decided by a constant, then the jump is in no
    closed-form expression nor any decision, and f's value at the point can be 0).
    Each neighbour is compared with the closed form of its own path.
    """
    try:  # (a decision's sides can be complex at the point too)
        form = closed_form(f, point)
        symbols = form.symbols
        reference_gradient(f, tuple(s.name for s in symbols), point)
        for argument, kind in itertools.chain(switches(form.expr), branch_switches(form.decisions)):
            v = evaluate(argument, symbols, point)
            nearest = float(round(v)) if kind == "jump of floor" else 0.0
            if abs(v - nearest) <= STEP_MARGIN * max(1.0, abs(v)) and not all(
                    evaluate(argument, symbols, nearby) == v for nearby in neighbours(point, 1e-6)):
                # (A locally constant argument, floor(x) // 3 at 0.7, switches nothing.)
                return f"on a {kind}"
        for nearby in neighbours(point) if has_steps(f) else ():
            exact_value = reference_value(f, nearby)
            if abs(float(f(*nearby)) - exact_value) > RTOL * max(1.0, abs(exact_value)):
                return ROUNDING
    except OutsideDomain:
        return "the reference is complex or infinite"
    return None


def neighbours(point, distance=NEIGHBOUR):
    """`point`, and the points `distance` away from it along each axis."""
    yield point
    for index in range(len(point)):
        for sign in (-1.0, 1.0):
            yield tuple(v + sign * distance if i == index else v for i, v in enumerate(point))


# Failures of symdiff.verify that are known symdiff bugs, recognized by exception
# type and message: (type, fragment, the REGRESSIONS id that reproduces it). Add
# a minimized program to REGRESSIONS as an xfail(strict=True) with each entry.
KNOWN_VERIFY_BUGS = ()


def known_bug(exc: Exception, known) -> str | None:
    for kind, fragment, regression in known:
        if isinstance(exc, kind) and fragment in str(exc):
            return regression
    return None


def compare(f, params, sample, skipped=None) -> int:
    """Check symdiff against SymPy at each point of `sample`; return how many were compared
    (and append to the list `skipped`, if given, why each other point was not)."""
    gradient = symdiff.grad(f, wrt=params)
    both = symdiff.value_and_grad(f, wrt=params)
    tangent = symdiff.jvp(f, wrt=params)
    compared = 0
    for point in sample:
        try:
            reason = why_not_comparable(f, point)
            exact = reference_gradient(f, params, point) if reason is None else None
        except ReferenceFailed as exc:
            reason = "the reference's closed form is too large" if "nodes" in str(exc) else \
                "SymPy fails evaluating the reference"
        if reason is not None:
            if currently_in_test_context():  # counted in --hypothesis-show-statistics
                event(f"point skipped: {reason}")
            if skipped is not None:
                skipped.append(reason)
            continue
        ours = gradient(*point)
        assert isinstance(ours, tuple) and len(ours) == len(params), ours
        for param, mine, ref in zip(params, ours, exact, strict=True):
            assert is_float(mine), f"df/d{param} at {point} is {mine!r}, not a float"
            assert_close(mine, ref, f"df/d{param} at {point}")
        value, grads = both(*point)
        expected = f(*point)
        assert value == expected, f"value_and_grad value at {point}: {value!r} != f: {expected!r}"
        for param, mine, ref in zip(params, grads, exact, strict=True):
            assert_close(mine, ref, f"value_and_grad's df/d{param} at {point}")
        direction = DIRECTION[:len(params)]  # forward mode: the derivative along a direction
        value, dot = tangent(*point, *direction)
        assert value == expected, f"jvp value at {point}: {value!r} != f: {expected!r}"
        assert is_float(dot), f"jvp's tangent at {point} is {dot!r}, not a float"
        assert_close(dot, sum(r * d for r, d in zip(exact, direction)), f"jvp along {direction} at {point}")
        compared += 1
    return compared


def check_verify_accepts(f, params, known_bugs=KNOWN_VERIFY_BUGS):
    """symdiff's own checker accepts f's gradient: no VerificationError, no other exception.

    A failure listed in `known_bugs` is tolerated (and counted as a Hypothesis event).
    """
    try:
        report = symdiff.verify(f, wrt=params)
    except Exception as exc:
        bug = known_bug(exc, known_bugs)
        if bug is None:
            raise
        if currently_in_test_context():
            event(f"verify failed by the known bug {bug}")
        return
    if currently_in_test_context():
        event(f"verify compared with {report.reference}")


@pytest.fixture(scope="module")
def program_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("random_programs")


# No explain phase: its line tracing slows SymPy tenfold on Python < 3.12.
FUZZ = dict(deadline=None, derandomize=True, phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_random_program(program_dir, data):
    """The property, for one drawn program (see the module docstring)."""
    source, params = data.draw(programs(), label="program")
    note(source)
    sample = data.draw(points(len(params)), label="points")
    f = load(source, program_dir)
    skipped = []
    assume(compare(f, params, sample, skipped) > 0)
    if ROUNDING in skipped:
        # verify decides comparisons of constants in floats, as the code does, but one
        # that depends on the inputs exactly: a point rounding decides differently
        # would fail it for the float code's sake.
        event("verify not run: float rounding takes another branch than exact arithmetic")
        return
    check_verify_accepts(f, params)


@settings(max_examples=QUICK_EXAMPLES, **FUZZ)
@given(data=st.data())
def test_random_program_gradient_matches_sympy(program_dir, data):
    check_random_program(program_dir, data)


@pytest.mark.slow
@settings(max_examples=MAX_EXAMPLES, **FUZZ)
@given(data=st.data())
def test_many_random_program_gradients_match_sympy(program_dir, data):
    check_random_program(program_dir, data)


# ------------------------------------------------------------------ regressions
# Programs the fuzzer found (minimized): (source, points), fixed but for the strict
# xfails naming an open issue. They are checked without KNOWN_VERIFY_BUGS' tolerance.

def _program(body: str) -> str:
    return "import math\nimport numpy as np\n\ndef f(x, y, z):\n" + body


REGRESSIONS = [
    # SymPy 1.14 cannot differentiate floor(c*floor(x)): the reference crashed on it
    # until it differentiated floor and ceiling as stand-ins (sympy_reference.py),
    # and so did symdiff.verify (symbolic.differentiate).
    pytest.param(_program("    u = (y + y) // 2.0 // 1.5\n    return u + z * x\n"),
                 [(0.5, 0.7, -1.3), (1.9, -0.4, 0.3)], id="reference_nested_floor_division"),
    pytest.param(_program("    return x // 2 // 3 + y * z\n"),
                 [(0.7, 0.3, 1.1)], id="verify_nested_floor_division"),
    # pow's domain excluded base 0 even with an integer exponent: verify found no point.
    pytest.param(_program("    return (x - x) ** 2 + y * z\n"),
                 [(0.7, 0.3, 1.1)], id="verify_power_of_zero_base"),
    # SymPy recursed without end deciding this comparison of two constants exactly.
    # No sample: the reference writes this atan2 of constants as -I*log(...), whose
    # value has a tiny imaginary part (OutsideDomain); only verify is in question.
    pytest.param(_program("    c = math.atan2(math.cosh(1.0) % 1.0, 0.5 + math.tan(math.e))\n"
                          "    return float(c ** 2.0 > 1.0) + x * y * z\n"),
                 [], id="verify_recursion_in_constant_comparison"),
    # verify expanded the difference before checking its size: 25 s here.
    pytest.param(_program("    u = y / math.hypot(x, 1.0)\n    a = math.atan(u ** 3)\n"
                          "    v = (1.0 - math.hypot(x, math.cosh(x))) / (a * a + 2.0)\n"
                          "    return np.arctan2(v, 1.0 + math.sin(v) * math.sin(v)) + z\n"),
                 [(0.3, 0.4, 1.1), (-1.2, 0.7, 0.0)], id="verify_expand_without_size_limit"),
    # sympy.simplify ran past the fuzzer's 10 s limit on this 53-operation difference.
    pytest.param(_program("    a, u = (-math.tanh((0.5 + math.exp(x)) ** z), math.floor(x))\n"
                          "    x_bar = x * x\n"
                          "    return math.expm1(math.tanh(np.arctan2(0.5 + x_bar, math.exp(1.0))))\n"),
                 [(0.3, 0.4, 1.1)], id="verify_simplify_without_size_limit"),
    # SymPy's substitution raised NotImplementedError inside verify (tan reducing its
    # argument modulo pi), and its evalf then searched for precision for minutes;
    # verify now evaluates with mpmath first. (The reference fails there too.)
    pytest.param(_program("    u = math.exp(x) + y * y\n"
                          "    v = z + math.atan2(math.cosh(math.exp(z) ** 0.5), np.tan(math.tanh(1)))\n"
                          "    w = math.tan(math.tanh(z / math.cosh(math.tanh(v + v))))\n"
                          "    return math.sqrt(math.cosh(math.atan(w * u)))\n"),
                 [], id="verify_sympy_substitution_fails"),
    # A loop's carried value set by floor (no gradient): the adjoint of the loop body
    # asked floor's partials, which it has none of (a TypeError).
    pytest.param(_program("    for i in range(0):\n        x = math.floor(i)\n    return x + y * z\n"),
                 [(0.0, 0.3, 1.1), (1.5, -0.2, 0.4)], id="loop_carrying_a_value_without_gradient"),
    # A loop leaving its index in a name: the closed form was a plain int, which
    # verify's differentiation took for a SymPy expression (an AttributeError).
    pytest.param(_program("    for i in range(1):\n        x = i\n    return x\n"),
                 [(0.0, 0.3, 1.1)], id="verify_closed_form_a_plain_int"),
    # SymPy writes atan2 of these as -I*log(...), whose value keeps an imaginary part
    # below rounding: verify could not decide the branch at a point (it took the else
    # branch and said a derivative rule was wrong), and for x - x, a constant, the
    # comparison raised TypeError out of verify. Such values are now taken as real.
    pytest.param(_program("    if math.atan2(x * x + 0.5, math.tan(math.tanh(1.0))) > x:\n"
                          "        x += x\n    return x\n"),
                 [(0.8420399908563087, 0.0, 0.0), (-0.5, 0.0, 0.0), (1.5, 0.0, 0.0)],
                 id="branch_on_atan2_of_constants"),
    pytest.param(_program("    x -= x\n    if math.atan2(x * x + 2.0, math.tan(math.tanh(1.0))) > x:\n"
                          "        y = x\n    return x + y\n"),
                 [(0.3, 0.7, 0.0)], id="comparison_of_an_atan2_constant"),
    # x - |x| feeds a %: 0 in floats, but -1e-31 in SymPy's 30 digits, on the other side
    # of the jump, so verify compared the derivatives of two different functions where
    # x > 0 and said a derivative rule was wrong. verify now prefers points off the
    # jumps of floor, ceil and % (the fuzzer's own reference skips them).
    pytest.param('import math\nimport numpy as np\n\ndef h0(p, q):\n    if -(1.0 * p) > p + p + math.tanh(p * p):\n        a = p\n    else:\n        w = p + (math.tanh(p) * math.tanh(p) + 0.5) ** 0.5\n    return p\n\ndef h1(p):\n    return math.log1p(math.exp(math.sin(math.pi)))\n\ndef f(x):\n    x += math.atan2(1.0 + x * x, x)\n    a = h0(x, x)\n    x -= math.fabs(np.maximum(x, a))\n    a += math.pow(math.exp(math.sin(x)), 2.5) if math.hypot(0.0, math.hypot(x, 0.5)) <= np.sqrt(math.cosh(math.sin(x))) or np.hypot(math.e, math.cosh(math.sin(a))) > math.cosh(math.atan(x)) ** math.sin(a) else x / math.cosh(0.25)\n    grad_f = max(math.fabs(1.5), x if x >= x and x > x else x) * (float(x) % 1.5)\n    if np.square(np.exp(1)) >= math.tan(math.tanh(math.sin(x))) and (np.arctan2(math.hypot(a, 0.5), 2.0) if not -x > math.atan(math.atan(grad_f) * grad_f) else np.hypot(x, np.exp(math.tanh(x)))) <= 2:\n        x_bar = math.cosh(math.sin(grad_f)) if math.log1p(1.0 + abs(x)) < (grad_f if math.e >= a else a) < 1 // 2.0 else np.arctan2(grad_f, math.cosh(math.atan(a)))\n    else:\n        x_bar = math.sin(x + x)\n        if x_bar >= grad_f or 2.5 >= x_bar:\n            u = 1.5\n            y_bar, b = (math.ceil(np.pi), -grad_f)\n        else:\n            u = np.arctan(x)\n    if 2.5 < grad_f or grad_f <= x:\n        for i in range(2):\n            grad_f = np.maximum(x_bar * i, math.sin(1.5 + x_bar))\n            x_bar = math.hypot(np.abs(i), 1.0 + math.exp(math.tanh(a * x_bar))) if math.log(math.exp(0.5)) + (1.0 + 0.5) > 1 + math.e + -x else math.tan(math.tanh(3 % np.exp(1.5)))\n    else:\n        x_1 = h1(x_bar)\n        if a / (1.0 + a * a) - (x_1 - x_1) >= math.log1p(math.hypot(np.tan(math.tanh(math.e)), 1.0)) and -1.5 - -1.5 > np.log(math.exp(math.sin(np.exp(x_1)))):\n            x_1 = np.maximum(x_1 * math.e, np.exp(math.sin(a))) % 1.5\n            v = np.sinh(math.tanh(a))\n        else:\n            v = x_1\n            c, y_bar = (x if a < 2 < 0.0 else x_bar, -math.pow(math.tanh(math.tau), 3))\n            grad_f *= math.tanh(grad_f)\n    return math.log10(1.0 + math.tanh(a) * math.tanh(a)) * x_bar\n',
                 [(-0.7,), (-1.3,)], id="verify_on_a_jump_of_mod"),
    # The same `a and b` twice: the second reads b, computed only where a holds, and
    # verify's evaluation (which did not short-circuit) raised KeyError out of verify.
    pytest.param("import math\n\ndef h0(p):\n"
                 "    return (0.25 if -p >= -2.0 and math.log1p(math.hypot(p, 0.5)) < math.tanh(0.25 - p) "
                 "else 1.5) * (0.25 if -p >= -2.0 and math.log1p(math.hypot(p, 0.5)) < math.tanh(0.25 - p) "
                 "else 1.5)\n\ndef f(x):\n    return h0(x) * x\n",
                 [(0.9194269893737919,), (-1.8996262431079467,)], id="a_repeated_and_in_a_helper"),
    # A loop whose adjoint simplification removed left its tape recorded and unread:
    # emitting it raised KeyError('tape').
    pytest.param('import math\nimport numpy as np\n\ndef f(x):\n    a = x\n    b = math.floor(x)\n    u = x\n    t0 = x\n    x_bar = x\n    t1 = x\n    v = x\n    for i in range(0):\n        b = math.atan2(math.log(math.tanh(b) * math.tanh(b) + 0.5) * math.log(math.tanh(b) * math.tanh(b) + 0.5) + 0.5, 1.0 * 1.0) + math.tanh(math.hypot(1.0 + math.tanh(b if 1.0 < 2.0 > 1.0 else x) * math.tanh(b if 1.0 < 2.0 > 1.0 else x), b if x > x else b))\n        b = b\n    return b\n',
                 [(0.9194269893737919,), (-1.8996262431079467,)], id="a_tape_nothing_reads"),
    # max(x, floor(x)) is x, which SymPy folded, hiding from the checker the tie at an
    # integer x, where symdiff's convention splits the gradient (0.5).
    pytest.param("import numpy as np\n\ndef f(x):\n    return np.maximum(float(x), x // 1)\n",
                 [(0.0,), (0.5,)], id="tie_hidden_by_sympy"),
    # Float rounding decides 0.0 < sin(pi) (1.2e-16) unlike exact arithmetic (0 < 0):
    # verify judged symdiff's gradient (right for what the floats compute) by SymPy's
    # exact branch and said a derivative rule was wrong. Comparisons of constants are
    # now decided in floats. No sample: the reference skips every point (ROUNDING).
    pytest.param(_program("    u = x\n    if 0.0 < math.sin(math.pi):\n        u = x * y\n    return u + z\n"),
                 [], id="verify_branch_decided_by_rounding"),
    # verify spent 20 s and more in SymPy (Piecewise folding the conditions with
    # simplify_logic) on the `or` of two comparisons with constants that depend on the
    # first branch; `a` is not even read. A program that branches now gets a closed
    # form per point, taking the point's branches: no Piecewise.
    pytest.param("import math\nimport numpy as np\n\ndef f(x, y):\n"
                 "    x += float(math.cosh(x))\n"
                 "    if x <= y:\n        c = math.tanh(math.cosh(math.tanh(np.pi)) * (np.cos(x) * x))\n"
                 "    else:\n        c = 1.5\n"
                 "    if np.floor(y) > math.tanh((1.0 + math.exp(c)) ** (-2)) or "
                 "math.hypot(math.pi, 0.5) ** math.sin(c) < 1.5:\n        a = 1\n"
                 "    else:\n        a = np.arctan(math.erfc(0.0))\n"
                 "    return np.arctan(c) * c\n",
                 [(0.3, 2.5), (-1.1, 0.2)], id="verify_slow_piecewise_of_branches"),
]


@pytest.mark.parametrize("source, sample", REGRESSIONS)
def test_regression_program(tmp_path, source, sample):
    f = load(source, tmp_path)
    params = tuple(a.arg for a in ast.parse(source).body[-1].args.args)
    if sample:  # (no sample: only verify is in question)
        assert compare(f, params, sample) > 0, "no point of the regression was compared"
    check_verify_accepts(f, params, known_bugs=())


# ------------------------------------------------------------------ the checker itself
# A branch on a comparison of two parameters; the same with the condition negated.
BRANCH = ("    if x > y and z < 1.0:\n        u = x * y\n        v = z\n"
          "    else:\n        u = math.sin(x)\n        v = -z\n    return u + v\n")
OTHER_BRANCH = BRANCH.replace("if x > y and z < 1.0:", "if not (x > y and z < 1.0):")

# Points where SymPy's derivative is not the float function's: each must be skipped.
NOT_COMPARABLE = [
    pytest.param("    return abs(x % 1.0) + y\n", (0.0, 0.3, 0.0), "on a jump of floor",
                 id="abs_of_mod_at_its_jump"),
    pytest.param("    return abs(min(0.0, math.sin(x))) + y\n", (0.0, 0.3, 0.0),
                 "on a tie of max or min", id="abs_of_min_at_a_tie"),
    pytest.param("    return float(y * 0.0 <= math.sin(math.tau)) * x\n", (0.0, 0.3, 0.0),
                 ROUNDING, id="comparison_decided_by_rounding"),
    pytest.param("    return math.hypot(x, y) + z\n", (0.0, 0.0, 0.5),
                 "the reference is complex or infinite", id="hypot_at_the_origin"),
    pytest.param(BRANCH, (0.5, 0.5, 0.0), "on a boundary of a branch", id="if_at_its_boundary"),
    pytest.param("    return (x if x * x <= y else y) + z\n", (0.5, 0.25, 0.0),
                 "on a boundary of a branch", id="conditional_expression_at_its_boundary"),
    pytest.param("    u = x\n    if 0.0 < math.sin(math.pi):\n        u = x * y\n    return u + z\n",
                 (0.5, 0.3, 0.0), ROUNDING, id="if_decided_by_rounding"),
    pytest.param(BRANCH, (0.5, 0.3, 0.0), None, id="if_away_from_its_boundary"),
    pytest.param("    return abs(x) + math.sin(y) + min(x, z)\n", (0.5, 0.3, -0.2), None,
                 id="smooth_point"),
]


@pytest.mark.parametrize("body, point, reason", NOT_COMPARABLE)
def test_checker_skips_exactly_the_points_sympy_cannot_judge(tmp_path, body, point, reason):
    assert why_not_comparable(load(_program(body), tmp_path), point) == reason


def test_checker_catches_a_wrong_gradient(tmp_path, monkeypatch):
    f = load(_program("    return 3.0 * x * y + z\n"), tmp_path)
    right = symdiff.grad(f, wrt=PARAMS)
    monkeypatch.setattr(symdiff, "grad", lambda fun, wrt: lambda *args: tuple(
        g * (1 + 1e-7) for g in right(*args)))
    with pytest.raises(AssertionError, match="df/dx"):
        compare(f, PARAMS, [(1.0, 2.0, 0.5)])


def test_checker_catches_a_value_off_by_one_ulp(tmp_path, monkeypatch):
    f = load(_program("    return 3.0 * x * y + z\n"), tmp_path)
    right = symdiff.value_and_grad(f, wrt=PARAMS)

    def wrong(*args):
        value, grads = right(*args)
        return math.nextafter(value, math.inf), grads

    monkeypatch.setattr(symdiff, "value_and_grad", lambda fun, wrt: wrong)
    with pytest.raises(AssertionError, match="value_and_grad value"):
        compare(f, PARAMS, [(1.0, 2.0, 0.5)])


def test_reference_takes_the_branch_each_point_takes(tmp_path):
    f = load(_program(BRANCH), tmp_path)
    # (d/dx, d/dy, d/dz) of x*y + z where x > y and z < 1, of sin(x) - z elsewhere
    assert reference_gradient(f, PARAMS, (0.5, 0.3, 0.0)) == pytest.approx([0.3, 0.5, 1.0], rel=1e-15)
    assert reference_gradient(f, PARAMS, (0.5, 0.3, 2.0)) == pytest.approx([math.cos(0.5), 0.0, -1.0], rel=1e-15)
    assert reference_gradient(f, PARAMS, (0.3, 0.5, 0.0)) == pytest.approx([math.cos(0.3), 0.0, -1.0], rel=1e-15)


def test_checker_catches_the_gradient_of_the_other_branch(tmp_path, monkeypatch):
    f = load(_program(BRANCH), tmp_path)
    other = symdiff.grad(load(_program(OTHER_BRANCH), tmp_path), wrt=PARAMS)
    assert compare(f, PARAMS, [(0.5, 0.3, 0.0)]) == 1
    monkeypatch.setattr(symdiff, "grad", lambda fun, wrt: other)
    with pytest.raises(AssertionError, match="df/dx"):
        compare(f, PARAMS, [(0.5, 0.3, 0.0)])


def test_checker_skips_a_point_on_a_branch_boundary_without_comparing(tmp_path, monkeypatch):
    # There the other branch's gradient would be caught (the test above): it is not compared.
    f = load(_program(BRANCH), tmp_path)
    other = symdiff.grad(load(_program(OTHER_BRANCH), tmp_path), wrt=PARAMS)
    monkeypatch.setattr(symdiff, "grad", lambda fun, wrt: other)
    skipped = []
    assert compare(f, PARAMS, [(0.5, 0.5, 0.0), (0.5, 0.3, 1.0)], skipped) == 0
    assert skipped == ["on a boundary of a branch", "on a boundary of a branch"]
