"""Random programs for symdiff, as a Hypothesis strategy.

`programs()` draws the source text of a module that imports math and numpy as
np and defines `def f(x[, y[, z]])` of 1-12 statements: assignments to new
names, reassignment of locals and parameters, augmented assignment (+= -= *= /=
**= //= %=), tuple unpacking and swaps, `if` / `else` statements (and `if`
without `else`), one `for i in range(k)` loop (k = 0..3) reassigning names,
directly or in an `if`, and calls to up to two helpers `h0, h1` defined in the
module (each of 1-3 statements, `if`s included), then one `return`. An `if`'s
arms hold 1-3 statements each (reassignments, new names, an `if` nested once, a
loop or a call); a new name read after the `if` is assigned in both arms. A
branch's condition compares two expressions with < <= > or >=, or is two such
comparisons joined by `and` / `or`, a chained comparison `a < b <= c`, or `not`
of one. Expressions draw from the operators + - * / ** // % and unary -,
conditional expressions `a if cond else b`, comparisons through float(), math.*
and np.* scalar functions, abs/max/min and their NumPy spellings, module
constants, and one subexpression used twice. Locals are sometimes spelled like
symdiff's own generated names (a, t0, x_bar, grad_f). The program is built as an
`ast.Module` and printed with `ast.unparse` (never formatted as text), and the
printed text is checked to parse back to the same tree.

Every expression carries a bound on its magnitude at the sample points
(coordinates in [-2, 2], see `points`): a value that could exceed `MAX_BOUND` is
wrapped in a squashing function (tanh, atan, sin), the argument of exp, sinh
and cosh is bounded by 3, and every log, sqrt, divisor, fractional-power base
and one argument of atan2 and hypot is positive by construction (`e*e + 0.5`,
`math.exp(...)`, `1.0 + abs(e)`, `math.cosh(...)`, ...). After an `if`, a name
is bound by the larger of its bounds at the ends of the two arms (a conditional
expression by the larger of its two values'). So every program is defined,
finite and of moderate size everywhere it is sampled; it still has kinks and
jumps (abs, max, floor, %, comparisons, branches), which the test handles.
"""

from __future__ import annotations

import ast
import math

from hypothesis import strategies as st

POINTS = 3
PARAMS = ("x", "y", "z")
POINT_BOUND = 2.0      # every coordinate lies in [-POINT_BOUND, POINT_BOUND]
MAX_BOUND = 20.0       # larger possible magnitudes are squashed
# Local names, some spelled like symdiff's own generated names (lowered letters
# a, b, ..., temporaries t0, adjoints x_bar, the function grad_f): they must not clash.
LOCAL_NAMES = ("a", "b", "u", "t0", "x_bar", "t1", "v", "y_bar", "c", "grad_f", "x_1", "w")
CONSTANTS = (1.0, 2.0, 0.5, 3, 2, 0.0, 1.5, 0.25, 2.5, 1)
MODULE_CONSTANTS = (("math", "pi", math.pi), ("math", "e", math.e), ("np", "pi", math.pi),
                    ("math", "tau", math.tau))
# (module, function, bound on |value|) for functions of any real argument.
BOUNDED_FUNCTIONS = (("math", "sin", 1.0), ("math", "tanh", 1.0), ("math", "cos", 1.0),
                     ("math", "atan", math.pi / 2), ("math", "erf", 1.0), ("np", "sin", 1.0),
                     ("np", "tanh", 1.0), ("np", "arctan", math.pi / 2), ("np", "cos", 1.0),
                     ("math", "erfc", 2.0))
SQUASHERS = (("math", "tanh", 1.0), ("math", "atan", math.pi / 2), ("math", "sin", 1.0))
# Functions whose argument is kept in [-3, 3]: |f| <= f(3).
GROWING_FUNCTIONS = (("math", "exp"), ("math", "sinh"), ("math", "cosh"), ("np", "exp"),
                     ("math", "expm1"), ("np", "cosh"), ("np", "sinh"))
LOGARITHMS = (("math", "log"), ("math", "sqrt"), ("np", "log"), ("math", "log1p"),
              ("np", "sqrt"), ("math", "log2"), ("math", "log10"), ("np", "log1p"))
KINKS = (("builtins", "abs"), ("builtins", "max"), ("builtins", "min"), ("math", "fabs"),
         ("np", "abs"), ("np", "maximum"), ("np", "minimum"))
STEPS = (("math", "floor"), ("math", "ceil"), ("np", "floor"))
ANGLES = (("math", "atan2"), ("math", "hypot"), ("np", "arctan2"), ("np", "hypot"))
COMPARISONS = (ast.Gt, ast.Lt, ast.GtE, ast.LtE)
# Loops and helpers per program: each nests the closed form SymPy differentiates (in
# the reference and in verify), whose size grows fast with them.
MAX_LOOPS = 1
MAX_HELPERS = 2
MAX_BRANCH_DEPTH = 2   # an `if` inside an `if` (or in a loop inside one), never deeper
INTEGER_EXPONENTS = (2, 3, 2.0, 1, 0)
REAL_EXPONENTS = (0.5, -1, 1.5, -0.5, 2.5, -2)

Expr = tuple  # (ast.expr, bound on |value| at every sample point)


# ------------------------------------------------------------------ AST helpers

def name(identifier: str) -> ast.Name:
    return ast.Name(id=identifier, ctx=ast.Load())


def const(value) -> ast.expr:
    # Only non-negative ast.Constant; a negative number is unary minus of one.
    if value < 0:
        return ast.UnaryOp(op=ast.USub(), operand=ast.Constant(value=-value))
    return ast.Constant(value=value)


def call(module: str, function: str, *args: ast.expr) -> ast.Call:
    func = name(function) if module == "builtins" else ast.Attribute(
        value=name(module), attr=function, ctx=ast.Load())
    return ast.Call(func=func, args=list(args), keywords=[])


def binop(left: ast.expr, op: ast.operator, right: ast.expr) -> ast.BinOp:
    return ast.BinOp(left=left, op=op, right=right)


def render(params, body, helpers=()) -> str:
    """The module text: the imports, the helpers (`ast.FunctionDef`s), then `def f(params): body`."""
    module = ast.parse("import math\nimport numpy as np\n\ndef f():\n    pass\n")
    function = module.body[-1]  # parsed, so its fields fit this Python version
    function.args.args = [ast.arg(arg=p) for p in params]
    function.body = body
    module.body[-1:-1] = list(helpers)
    source = ast.unparse(ast.fix_missing_locations(module)) + "\n"
    # The printed text must mean the tree that was built (precedence, signs).
    assert ast.dump(ast.parse(source)) == ast.dump(module), source
    return source


# ------------------------------------------------------------------ the strategy

class ProgramWriter:
    """Draws one program's statements, tracking each name's magnitude bound."""

    def __init__(self, draw, params, bounds=None):
        self.draw = draw
        self.bounds = dict(bounds) if bounds else dict.fromkeys(params, POINT_BOUND)  # name -> bound on |value|
        self.params = params
        self.helpers: list[ast.FunctionDef] = []  # module-level functions the program calls
        self.depth = 0  # of loops around the statement being drawn
        self.loops = 0
        self.branch_depth = 0  # of `if` statements around the statement being drawn

    def choose(self, options):
        return self.draw(st.sampled_from(options))

    # -- expressions: each returns (node, bound)

    def expr(self, depth: int) -> Expr:
        kinds = ("leaf",) if depth == 0 else EXPRESSION_KINDS
        node, bound = getattr(self, "expr_" + self.choose(kinds))(depth)
        return self.bounded((node, bound))

    def bounded(self, e: Expr, limit: float = MAX_BOUND) -> Expr:
        node, bound = e
        if bound <= limit:
            return e
        module, function, squashed = self.choose(SQUASHERS)
        return call(module, function, node), squashed

    def expr_leaf(self, depth):
        kind = self.choose(("name",) * 7 + ("constant",) * 2 + ("module constant",))
        if kind == "name":
            identifier = self.choose(list(self.bounds))
            return name(identifier), self.bounds[identifier]
        if kind == "constant":
            value = self.choose(CONSTANTS)
            return const(value), abs(value)
        module, attribute, value = self.choose(MODULE_CONSTANTS)
        return ast.Attribute(value=name(module), attr=attribute, ctx=ast.Load()), value

    def expr_add(self, depth):
        (a, ba), (b, bb) = self.expr(depth - 1), self.expr(depth - 1)
        return binop(a, self.choose((ast.Add(), ast.Sub())), b), ba + bb

    def expr_mul(self, depth):
        (a, ba), (b, bb) = self.expr(depth - 1), self.expr(depth - 1)
        return binop(a, ast.Mult(), b), ba * bb

    def expr_neg(self, depth):
        a, bound = self.expr(depth - 1)
        return ast.UnaryOp(op=ast.USub(), operand=a), bound

    def expr_div(self, depth):
        a, bound = self.expr(depth - 1)
        d, _, lower = self.positive(depth - 1)
        return binop(a, ast.Div(), d), bound / lower

    def expr_shared(self, depth):
        # One subexpression object used twice in the same expression.
        s, bound = self.expr(depth - 1)
        form = self.choose(("square", "sum", "difference", "ratio", "product with function"))
        if form == "square":
            return binop(s, ast.Mult(), s), bound * bound
        if form == "sum":
            return binop(s, ast.Add(), s), 2 * bound
        if form == "difference":
            return binop(s, ast.Sub(), s), 0.0
        if form == "ratio":
            return binop(s, ast.Div(), binop(const(1.0), ast.Add(), binop(s, ast.Mult(), s))), 1.0
        module, function, f_bound = self.choose(BOUNDED_FUNCTIONS)
        return binop(call(module, function, s), ast.Mult(), s), f_bound * bound

    def expr_float(self, depth):
        a, bound = self.expr(depth - 1)
        return call("builtins", "float", a), bound

    def expr_bounded_function(self, depth):
        a, _ = self.expr(depth - 1)
        module, function, bound = self.choose(BOUNDED_FUNCTIONS)
        return call(module, function, a), bound

    def expr_growing_function(self, depth):
        a, bound = self.bounded(self.expr(depth - 1), limit=3.0)
        module, function = self.choose(GROWING_FUNCTIONS)
        return call(module, function, a), math.exp(bound)

    def expr_logarithm(self, depth):
        p, bound, lower = self.positive(depth - 1)
        module, function = self.choose(LOGARITHMS)
        if function == "sqrt":
            return call(module, function, p), math.sqrt(bound)
        return call(module, function, p), 1.0 + max(abs(math.log(lower)), math.log1p(bound))

    def expr_tan(self, depth):
        a, _ = self.expr(depth - 1)
        module, function, _ = self.choose(SQUASHERS[:1] + SQUASHERS[2:])  # |argument| <= 1
        return call(self.choose(("math", "np")), "tan", call(module, function, a)), math.tan(1.0)

    def expr_power(self, depth):
        form = self.choose(("integer", "real", "variable", "library"))
        if form == "integer":  # any base, a constant integer exponent
            a, bound = self.bounded(self.expr(depth - 1), limit=4.0)
            k = self.choose(INTEGER_EXPONENTS)
            spelling = self.choose(("**", "**", "math.pow", "np.square"))
            if spelling == "np.square":
                return call("np", "square", a), bound ** 2
            if spelling == "math.pow":
                return call("math", "pow", a, const(k)), bound ** k
            return binop(a, ast.Pow(), const(k)), bound ** k
        p, bound, lower = self.positive(depth - 1)
        largest = max(bound, 1.0 / lower)
        if form == "variable":
            y, y_bound = self.bounded(self.expr(depth - 1), limit=2.0)
            return binop(p, ast.Pow(), y), largest ** y_bound
        c = self.choose(REAL_EXPONENTS)
        if form == "real":
            return binop(p, ast.Pow(), const(c)), largest ** abs(c)
        module, function = self.choose((("math", "pow"), ("np", "power"), ("builtins", "pow")))
        return call(module, function, p, const(c)), largest ** abs(c)

    def expr_kink(self, depth):
        module, function = self.choose(KINKS)
        a, ba = self.expr(depth - 1)
        if function in ("abs", "fabs"):
            return call(module, function, a), ba
        b, bb = self.expr(depth - 1)
        return call(module, function, a, b), max(ba, bb)

    def expr_step(self, depth):
        form = self.choose(("floor", "floordiv", "mod", "mod by expression", "indicator"))
        a, bound = self.expr(depth - 1)
        if form == "floor":
            module, function = self.choose(STEPS)
            return call(module, function, a), bound + 1.0
        if form == "floordiv":
            c = self.choose((1.5, 0.5, 2.0, 1))
            return binop(a, ast.FloorDiv(), const(c)), bound / c + 1.0
        if form == "mod":
            c = self.choose((1.5, 0.5, 2.0, 1))
            return binop(a, ast.Mod(), const(c)), c
        if form == "mod by expression":
            d, d_bound, _ = self.positive(depth - 1)
            return binop(a, ast.Mod(), d), d_bound
        b, _ = self.expr(depth - 1)
        c, c_bound = self.expr(depth - 1)
        test = ast.Compare(left=a, ops=[self.choose(COMPARISONS)()], comparators=[b])
        return binop(call("builtins", "float", test), ast.Mult(), c), c_bound

    def expr_angle(self, depth):
        # One argument positive keeps away from the origin, where atan2 and hypot
        # are not differentiable (SymPy simplifies atan2(y, y) to a constant), and
        # from atan2's branch cut.
        module, function = self.choose(ANGLES)
        a, ba = self.expr(depth - 1)
        p, bp, _ = self.positive(depth - 1)
        args = (a, p) if self.draw(st.booleans()) else (p, a)
        bound = math.pi if function in ("atan2", "arctan2") else ba + bp
        return call(module, function, *args), bound

    def expr_conditional(self, depth):
        test = self.condition(depth - 1)
        (a, ba), (b, bb) = self.expr(depth - 1), self.expr(depth - 1)
        return ast.IfExp(test=test, body=a, orelse=b), max(ba, bb)

    def comparison(self, depth) -> ast.Compare:
        (a, _), (b, _) = self.expr(depth), self.expr(depth)
        return ast.Compare(left=a, ops=[self.choose(COMPARISONS)()], comparators=[b])

    def condition(self, depth) -> ast.expr:
        """A branch's test: a comparison, two of them joined by `and` / `or`, a chained
        comparison `a < b <= c`, or `not` of a comparison. Never == or != (SymPy's
        are structural)."""
        form = self.choose(("comparison", "comparison", "and", "or", "chained", "not"))
        if form in ("and", "or"):
            return ast.BoolOp(op=ast.And() if form == "and" else ast.Or(),
                              values=[self.comparison(depth), self.comparison(depth)])
        if form == "not":
            return ast.UnaryOp(op=ast.Not(), operand=self.comparison(depth))
        if form == "chained":
            chained = self.comparison(depth)
            last, _ = self.expr(depth)
            chained.ops.append(self.choose(COMPARISONS)())
            chained.comparators.append(last)
            return chained
        return self.comparison(depth)

    def positive(self, depth) -> tuple:
        """(node, upper bound, lower bound > 0): a guarded argument for log, sqrt, /."""
        form = self.choose(("square plus", "one plus square", "exp", "one plus abs",
                            "cosh", "hypot", "constant plus exp"))
        a, bound = self.expr(depth)
        if form in ("square plus", "one plus square"):
            a, bound = self.bounded((a, bound), limit=4.0)
            c = self.choose((0.5, 1.0, 2.0)) if form == "square plus" else 1.0
            square = binop(a, ast.Mult(), a)
            node = binop(square, ast.Add(), const(c)) if form == "square plus" else binop(
                const(c), ast.Add(), square)
            return node, bound * bound + c, c
        if form == "one plus abs":
            return binop(const(1.0), ast.Add(), call("builtins", "abs", a)), 1.0 + bound, 1.0
        if form == "hypot":
            c = self.choose((1.0, 0.5))
            return call("math", "hypot", a, const(c)), bound + c, c
        a, bound = self.bounded((a, bound), limit=3.0)
        if form == "cosh":
            return call("math", "cosh", a), math.cosh(bound), 1.0
        exp = call(self.choose(("math", "np")), "exp", a)
        if form == "exp":
            return exp, math.exp(bound), math.exp(-bound)
        c = self.choose((0.5, 1.0))
        return binop(const(c), ast.Add(), exp), c + math.exp(bound), c

    # -- statements

    def statement(self) -> ast.stmt:
        kind = self.choose(STATEMENT_KINDS)
        return getattr(self, "statement_" + kind)()

    def new_name(self) -> str | None:
        unused = [n for n in LOCAL_NAMES if n not in self.bounds]
        return self.choose(unused) if unused else None

    def target(self) -> str:
        """A name to assign: a new local, or any name in scope (parameters too)."""
        fresh = self.new_name()
        if fresh is not None and self.draw(st.integers(0, 3)) < 3:
            return fresh
        return self.choose(list(self.bounds))

    def assign(self, targets, values) -> ast.stmt:
        nodes = [node for node, _ in values]
        for target, (_, bound) in zip(targets, values, strict=True):
            self.bounds[target] = bound
        stores = [ast.Name(id=t, ctx=ast.Store()) for t in targets]
        if len(targets) == 1:
            return ast.Assign(targets=stores, value=nodes[0])
        return ast.Assign(targets=[ast.Tuple(elts=stores, ctx=ast.Store())],
                          value=ast.Tuple(elts=nodes, ctx=ast.Load()))

    def statement_assign(self):
        value = self.expr(self.draw(st.integers(0, 3)))
        return self.assign([self.target()], [value])

    def statement_augmented(self):
        target = self.choose(list(self.bounds))
        bound = self.bounds[target]
        op = self.choose(("+=", "*=", "-=", "/=", "**=", "//=", "%="))
        if op == "**=" and bound <= 4.0:
            self.bounds[target] = bound * bound
            return ast.AugAssign(target=ast.Name(id=target, ctx=ast.Store()), op=ast.Pow(),
                                 value=const(2))
        if op == "/=":
            d, _, lower = self.positive(self.draw(st.integers(0, 2)))
            self.bounds[target] = bound / lower
            return ast.AugAssign(target=ast.Name(id=target, ctx=ast.Store()), op=ast.Div(), value=d)
        if op in ("//=", "%="):
            c = self.choose((1.5, 0.5, 2.0, 1))
            self.bounds[target] = bound / c + 1.0 if op == "//=" else c
            return ast.AugAssign(target=ast.Name(id=target, ctx=ast.Store()),
                                 op=ast.FloorDiv() if op == "//=" else ast.Mod(), value=const(c))
        value, v_bound = self.expr(self.draw(st.integers(0, 2)))
        if op == "*=":
            value, v_bound = self.bounded((value, v_bound), limit=1.6)
            self.bounds[target] = bound * v_bound
            return ast.AugAssign(target=ast.Name(id=target, ctx=ast.Store()), op=ast.Mult(),
                                 value=value)
        self.bounds[target] = bound + v_bound
        return ast.AugAssign(target=ast.Name(id=target, ctx=ast.Store()),
                             op=ast.Sub() if op == "-=" else ast.Add(), value=value)

    def statement_unpack(self):
        first = self.target()
        second = self.target()
        if second == first:
            return self.statement_assign()
        values = [self.expr(self.draw(st.integers(0, 2))) for _ in range(2)]
        return self.assign([first, second], values)

    def statement_swap(self):
        names = list(self.bounds)
        if len(names) < 2:
            return self.statement_assign()
        first = self.choose(names)
        second = self.choose([n for n in names if n != first])
        values = [(name(second), self.bounds[second]), (name(first), self.bounds[first])]
        return self.assign([first, second], values)

    def statement_loop(self):
        """`for i in range(k):` reassigning names, each to a value squashed to MAX_BOUND,
        directly or in the arms of an `if`; their bounds are taken as max(bound before,
        MAX_BOUND) from the start, so every iteration keeps them, and so does k = 0."""
        if self.depth > 0 or self.loops >= MAX_LOOPS:
            return self.statement_assign()
        self.loops += 1
        count = self.draw(st.integers(0, 3))
        # (names bound before the loop: a name first bound in a loop that never runs is unbound)
        targets = [self.choose(list(self.bounds)) for _ in range(self.draw(st.integers(1, 2)))]
        for target in targets:
            self.bounds[target] = max(self.bounds[target], MAX_BOUND)
        before = dict(self.bounds)
        self.bounds["i"] = float(max(count - 1, 0))
        self.depth += 1

        def reassign_a_target():
            target = self.choose(targets)
            return self.assign([target], [self.bounded(self.expr(self.draw(st.integers(1, 3))))])

        body = []
        for target in targets:
            if self.draw(st.integers(0, 3)) == 0:
                body.append(self.statement_branch(reassign_a_target))
            body.append(self.assign([target], [self.bounded(self.expr(self.draw(st.integers(1, 3))))]))
        self.depth -= 1
        # Names first bound in the body are unbound if k = 0 (symdiff refuses reading them).
        self.bounds = before
        loop = ast.For(target=ast.Name(id="i", ctx=ast.Store()),
                       iter=ast.Call(func=name("range"), args=[const(count)], keywords=[]),
                       body=body, orelse=[], type_comment=None)
        return loop

    def statement_call(self):
        """`target = h(a, b)` with `h` a new module-level helper of one or more statements,
        drawn for the bounds of the arguments it is called with."""
        if self.depth > 0 or len(self.helpers) >= MAX_HELPERS:
            return self.statement_assign()
        args = [self.choose(list(self.bounds)) for _ in range(self.draw(st.integers(1, 2)))]
        helper_params = ("p", "q")[:len(args)]
        inner = ProgramWriter(self.draw, helper_params,
                              {p: self.bounds[a] for p, a in zip(helper_params, args, strict=True)})
        inner.depth = 1  # (no loops or further helpers inside)
        body = [inner.statement() for _ in range(self.draw(st.integers(0, 2)))]
        value, bound = inner.bounded(inner.expr(self.draw(st.integers(1, 3))))
        helper = f"h{len(self.helpers)}"
        definition = ast.parse(f"def {helper}():\n    pass\n").body[0]
        definition.args.args = [ast.arg(arg=p) for p in helper_params]
        definition.body = body + [ast.Return(value=value)]
        self.helpers.append(definition)
        target = self.target()
        self.bounds[target] = bound
        return ast.Assign(targets=[ast.Name(id=target, ctx=ast.Store())],
                          value=ast.Call(func=name(helper), args=[name(a) for a in args], keywords=[]))

    def statement_branch(self, arm_statement=None) -> ast.stmt:
        """`if <condition>:` with 1-3 statements in each arm (`arm_statement`, or any
        statement, nested `if`s included up to MAX_BRANCH_DEPTH), sometimes without
        `else`. A new name is assigned in both arms or read in neither after the `if`
        (symdiff refuses reading a name only one arm binds); after it, each name's
        bound is the larger of its bounds at the ends of the two arms."""
        if self.branch_depth >= MAX_BRANCH_DEPTH:
            return (arm_statement or self.statement_assign)()
        test = self.condition(self.draw(st.integers(0, 2)))
        fresh = self.new_name()
        shared = [fresh] if fresh is not None and self.draw(st.booleans()) else []
        before = self.bounds
        self.branch_depth += 1
        arms, ends = [], []
        for arm in ("if", "else"):
            self.bounds = dict(before)
            if arm == "else" and not shared and self.draw(st.integers(0, 3)) == 0:
                statements = []  # no else: the names keep their values
            else:
                statements = self.arm(shared, arm_statement or self.statement)
            arms.append(statements)
            ends.append(self.bounds)
        self.branch_depth -= 1
        after_if, after_else = ends
        self.bounds = {n: max(bound, after_else[n]) for n, bound in after_if.items() if n in after_else}
        return ast.If(test=test, body=arms[0], orelse=arms[1])

    def arm(self, shared, statement) -> list[ast.stmt]:
        """1-3 statements: `statement()`s, and an assignment to each name of `shared`
        at a drawn position among them."""
        plan = [None] * self.draw(st.integers(0 if shared else 1, 2))
        for new in shared:
            plan.insert(self.draw(st.integers(0, len(plan))), new)
        return [statement() if new is None else
                self.assign([new], [self.expr(self.draw(st.integers(0, 2)))]) for new in plan]

    def statement_return(self) -> ast.Return:
        value, _ = self.expr(self.draw(st.integers(0, 3)))
        local = [n for n in self.bounds if n not in self.params]
        # (`math` and `np` are names too: only a name in scope makes the result vary)
        reads = any(isinstance(node, ast.Name) and node.id in self.bounds for node in ast.walk(value))
        if not reads or (local and self.draw(st.booleans())):
            # Read a name: a constant result tests nothing, and locals are often dead.
            other = self.choose(local[::-1] + list(self.params))
            value = binop(value, self.choose((ast.Add(), ast.Mult())), name(other))
        return ast.Return(value=value)


# Simplest first: Hypothesis shrinks a choice towards the start of its list.
EXPRESSION_KINDS = ("leaf", "add", "mul", "neg", "div", "shared", "float", "bounded_function",
                    "growing_function", "logarithm", "tan", "power", "kink", "step", "angle",
                    "conditional")
STATEMENT_KINDS = ("assign", "augmented", "unpack", "swap", "loop", "call", "branch")


@st.composite
def programs(draw):
    """(source text, parameter names) of a random straight-line `f`."""
    params = PARAMS[:draw(st.integers(1, len(PARAMS)))]
    writer = ProgramWriter(draw, params)
    body = [writer.statement() for _ in range(draw(st.integers(0, 11)))]
    body.append(writer.statement_return())
    return render(params, body, writer.helpers), params


def coordinate():
    # Magnitudes below 1e-6 become 0: x*x underflowing near 1e-160 is a property of
    # floating point, not of differentiation; 0 itself (abs, max ties) is kept.
    return st.floats(-POINT_BOUND, POINT_BOUND).map(lambda v: 0.0 if abs(v) < 1e-6 else v)


def points(count: int):
    return st.lists(st.tuples(*[coordinate()] * count), min_size=POINTS, max_size=POINTS)
