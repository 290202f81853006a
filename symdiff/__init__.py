"""symdiff: source-to-source symbolic differentiation of Python functions.

symdiff reads a function's source, lowers it to a Wengert list of elementary
operations, applies the chain rule to that list and emits the derivative as
readable Python code, checked against SymPy.

    >>> import math, symdiff
    >>> @symdiff.grad
    ... def f(x):
    ...     return math.sqrt(x**2 + math.exp(x**2)) + math.cos(x**2 + math.exp(x**2))
    >>> round(f(0.7), 12)
    -1.874001704965
    >>> print(f.lowered)
    a = x**2
    b = exp(a)
    c = a + b
    d = sqrt(c)
    e = cos(c)
    f = d + e
"""

from .api import explain, grad, hessian, jacobian, jvp, value_and_grad, verify, vjp
from .primitives.custom import custom_derivative
from .explanations.explanation import ExplainError, Explanation
from .errors import (ArgumentError, BudgetError, NonScalarOutputError, SourceUnavailableError, SymdiffError,
                     SymdiffWarning, UnknownFunctionError, UnsupportedSyntaxError, VerificationError, WrtError)
from .verification.report import VerificationReport

__all__ = [
    "ArgumentError", "BudgetError", "ExplainError", "Explanation", "NonScalarOutputError", "SourceUnavailableError", "SymdiffError",
    "SymdiffWarning", "UnknownFunctionError", "UnsupportedSyntaxError", "VerificationError", "VerificationReport",
    "WrtError", "custom_derivative", "explain", "grad", "hessian", "jacobian", "jvp", "value_and_grad", "verify", "vjp",
]
__version__ = "0.1.0"
