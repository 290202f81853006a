"""The table of primitives, assembled: every row (scalar.py, integers.py, arrays.py,
contractions.py, shaping.py, compositions.py, structured.py) by name in `PRIMS`, and each
library's spellings of them (`LIBRARY`: (module, attribute) -> (primitive, ns)), its
constants (`CONSTANTS`), and the kind of a result (`result_kind`).
"""

from __future__ import annotations

import math

import numpy as np

from .arrays import ARRAY_ROWS
from .compositions import COMPOSED_ROWS
from .contractions import CONTRACTION_ROWS
from .elementwise import ELEMENTWISE_ROWS
from .integers import INTEGER_ROWS
from .linalg import LINALG_ROWS
from .row import LAZY_MODULES, MODULES, Prim, resolve_attribute
from .scalar import SCALAR_ROWS
from .shaping import SHAPING_ROWS
from .special import SPECIAL_ROWS
from .stacking import STACKING_ROWS
from .structured import STRUCTURED_ROWS
from .updates import UPDATE_ROWS

ROWS = (SCALAR_ROWS + INTEGER_ROWS + ARRAY_ROWS + CONTRACTION_ROWS + SHAPING_ROWS + COMPOSED_ROWS
        + ELEMENTWISE_ROWS + SPECIAL_ROWS + STRUCTURED_ROWS + LINALG_ROWS + STACKING_ROWS + UPDATE_ROWS)
PRIMS: dict[str, Prim] = {row.name: row for row in ROWS}

# Other names libraries give the same operation: (module, attribute) -> primitive.
ALIASES = {
    ("numpy", "absolute"): "abs", ("numpy", "fabs"): "abs", ("numpy", "true_divide"): "div",
    ("numpy", "remainder"): "mod", ("numpy", "around"): "round", ("builtins", "len"): "dim",
    ("numpy", "amax"): "amax", ("numpy", "amin"): "amin", ("numpy", "array"): "copy",
}

CONSTANTS = {
    ("math", "pi"): math.pi, ("math", "e"): math.e, ("math", "tau"): math.tau,
    ("math", "inf"): math.inf, ("math", "nan"): math.nan,
    ("numpy", "pi"): math.pi, ("numpy", "e"): math.e, ("numpy", "inf"): math.inf,
    ("numpy", "nan"): math.nan, ("numpy", "euler_gamma"): float(np.euler_gamma),
    ("numpy", "newaxis"): None,  # (an index entry: x[:, np.newaxis])
}


def _has(module, dotted: str) -> bool:
    try:
        resolve_attribute(module, dotted)
    except AttributeError:
        return False
    return True


def library() -> dict[tuple[str, str], tuple[str, str]]:
    """(module, attribute) -> (primitive, ns) for every spelling a library offers."""
    table = {}
    for row in ROWS:
        for ns, spelled in row.spelling.items():
            if ns in MODULES and _has(MODULES[ns], spelled) or ns in LAZY_MODULES:  # (not imported to check)
                table[(ns, spelled)] = (row.name, ns)
    for row in ROWS:  # operator.add(x, y) is x + y
        if row.operator_name is not None:
            table[("operator", row.operator_name)] = (row.name, "op")
    for (ns, attr), prim in ALIASES.items():
        if hasattr(MODULES[ns], attr):
            table[(ns, attr)] = (prim, ns)
    return table


LIBRARY = library()


def result_kind(prim: str, ns: str, kinds: list[str]) -> str:
    """The kind ('bool' < 'int' < 'float', or 'any') of `prim`'s result."""
    kind = PRIMS[prim].kind
    if prim == "cond":  # the condition's kind does not reach the result
        kinds = kinds[1:]
    if kind == "integral":
        return "float" if ns == "numpy" else "int"
    if kind not in ("promote", "arithmetic"):
        return kind
    if kind == "arithmetic" and "float" in kinds:  # an int or an int array meets a float
        return "float"
    if "any" in kinds:
        return "any"
    order = ["bool", "int", "float"]
    return order[max(order.index(k) for k in kinds)]
